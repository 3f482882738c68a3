"""Relations between actors: who acts towards whom in events, who speaks to whom in quotes.

Built from each article's latest extraction, per tenant. An event relates its sources and
targets: the actor as source and the other as target is `outgoing`, the reverse `incoming`, two
sources of one event `joint` (they act together; two targets are not related by being acted on
together). A quote relates its speaker and its addressee: the actor speaking to the other is
`outgoing`, the other speaking to the actor `incoming`.

A relation is one (other actor, via, type, direction): its count of events or quotes, the first
and last **publication date** of the articles they come from (the one date every item has when
the client gave it; an event's own time is often unknown), and the most recently stored
EVIDENCE_PER_RELATION of them as evidence.

`index_relations` writes the rows (lagebild_core.store.relations) when a version is stored, from
both actors' sides, and adds the difference to each relation's count; `unindex_article` takes a
deleted article's out; `relations` reads one actor's counts, then dates and evidence of the
relations it returns.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lagebild_core.quotes import superseded
from lagebild_core.store.relations import KEY, RelationCount, RelationRecord

EVIDENCE_PER_RELATION = 5
VIAS = ("event", "quote")
REVERSE = {"outgoing": "incoming", "incoming": "outgoing", "joint": "joint"}


@dataclass
class Evidence:
    article_id: str
    version: int
    item_id: str            # the event's or quote's id in that version ("E7", "Q1")
    published_at: dt.date | None


@dataclass
class Relation:
    other: str              # the other actor's global id
    via: str                # event | quote
    type: str | None        # the PLOVER event type; None for quotes
    direction: str          # outgoing | incoming | joint
    count: int
    first_published_at: dt.date | None
    last_published_at: dt.date | None
    evidence: list[Evidence] = field(default_factory=list)


def _pairs(document: dict):
    """Yield (actor, other, via, type, direction, item id) for the document's events and quotes,
    from the first actor's side (global ids; actors without one are left out)."""
    ids = {a["id"]: a.get("global_id") for a in document.get("actors") or []}
    for event in document.get("events") or []:
        sources = [ids.get(a) for a in event.get("source") or []]
        targets = [ids.get(a) for a in event.get("target") or []]
        for number, source in enumerate(sources):
            for target in targets:
                yield source, target, "event", event.get("type"), "outgoing", event["id"]
            for partner in sources[number + 1:]:
                yield source, partner, "event", event.get("type"), "joint", event["id"]
    for quote in document.get("quotes") or []:
        speaker = ids.get((quote.get("speaker") or {}).get("actor"))
        yield speaker, ids.get(quote.get("addressee")), "quote", "", "outgoing", quote["id"]


def relation_rows(tenant: str, article_id: str, version: int, document: dict) -> list[dict]:
    """Return the relation rows (column → value) of a stored document, each relation from both
    actors' sides, once per event or quote. Pure: migration 0006 uses it too."""
    published = document.get("published_at")
    published_at = dt.date.fromisoformat(published[:10]) if published else None
    seen, rows = set(), []
    for actor, other, via, type_, direction, item in _pairs(document):
        if not actor or not other or actor == other:
            continue
        for row in ((actor, other, via, type_, direction, item), (other, actor, via, type_, REVERSE[direction], item)):
            if row not in seen:
                seen.add(row)
                rows.append({"tenant": tenant, "article_id": article_id, "version": version, "actor": row[0],
                             "other": row[1], "via": via, "type": type_, "direction": row[4], "item_id": item,
                             "published_at": published_at})
    return rows


def index_relations(session: Session, tenant: str, article_id: str, version: int, document: dict, *,
                    newest: bool = False, first: bool = False) -> int:
    """Make the index hold the relations of `document` (version `version` of the article), its
    counts changed by the difference to the rows it replaces; a version older than the
    article's newest stored one changes nothing (`newest`: the caller knows it is the newest;
    `first`: the article had no version before, so there are no rows to replace). Returns the
    rows written."""
    if not newest and superseded(session, article_id, version):
        return 0
    old = Counter() if first else _counts_of(session, article_id)
    if old:  # counted from the article's rows: none when it has none
        session.execute(delete(RelationRecord).where(RelationRecord.article_id == article_id))
    return index_new_relations(session, tenant, [(article_id, version, document)], replaced=old)


def index_new_relations(session: Session, tenant: str, articles: list[tuple[str, int, dict]], *,
                        replaced: Counter | None = None) -> int:
    """Index the relations of (article id, version, document) of articles that have no indexed
    relations (a first version; or whose rows, counted in `replaced`, were just deleted): one
    statement for the rows, one for the counts they change. Returns the rows written."""
    rows = [row for article_id, version, document in articles
            for row in relation_rows(tenant, article_id, version, document)]
    delta = Counter(tuple(row[c] for c in KEY) for row in rows)
    delta.subtract(replaced or Counter())
    if rows:
        session.execute(RelationRecord.__table__.insert(), rows)
    _add(session, delta)
    return len(rows)


def unindex_article(session: Session, article_id: str) -> None:
    """Take an article's relations out of the counts (its rows go with it: CASCADE)."""
    delta = Counter()
    delta.subtract(_counts_of(session, article_id))
    _add(session, delta)


def _counts_of(session: Session, article_id: str) -> Counter:
    columns = [getattr(RelationRecord, c) for c in KEY]
    return Counter({tuple(row[:-1]): row[-1] for row in session.execute(
        select(*columns, func.count()).where(RelationRecord.article_id == article_id).group_by(*columns))})


def _add(session: Session, delta: Counter) -> None:
    """count += delta for every relation key that changed, in key order (concurrent workers lock
    the same rows in the same order), creating the rows that are new."""
    changes = [dict(zip(KEY, key), count=number) for key, number in sorted(delta.items()) if number]
    if changes:  # one statement executed for each change: its text, compiled and prepared once
        session.execute(_upsert(session.get_bind().dialect.name), changes)


@functools.lru_cache(maxsize=None)
def _upsert(dialect_name: str):
    """The INSERT … ON CONFLICT adding one relation's `count` to its row, for the dialect. One row
    per execution, not a row per change in one VALUES list: that statement's text changed with
    the number of changes, so it was compiled for each new number (nearly every batch), psycopg
    converted it uncached and PostgreSQL parsed and planned it every time."""
    table = RelationCount.__table__
    upsert = {"postgresql": postgresql, "sqlite": sqlite}[dialect_name].insert(table)
    return upsert.on_conflict_do_update(index_elements=list(KEY), set_={"count": table.c.count + upsert.excluded.count})


def relations(session: Session, actor: str, *, tenant: str, limit: int, via: str | None = None,
              type: str | None = None) -> tuple[list[Relation], bool]:
    """Return the actor's relations, most frequent first (at most `limit`), and whether there are more.

    `via` keeps only event or quote relations, `type` only event relations of that PLOVER type.
    The caller checks that the actor is the tenant's (lagebild_core.actors.get_actor)."""
    query = select(RelationCount).where(RelationCount.tenant == tenant, RelationCount.actor == actor,
                                        RelationCount.count > 0)
    if via:
        query = query.where(RelationCount.via == via)
    if type:
        query = query.where(RelationCount.type == type)
    query = query.order_by(RelationCount.count.desc(), RelationCount.other, RelationCount.via, RelationCount.type,
                           RelationCount.direction).limit(limit + 1)
    found = [Relation(r.other, r.via, r.type or None, r.direction, r.count, None, None) for r in session.scalars(query)]
    more, found = len(found) > limit, found[:limit]
    if found:
        _attach_rows(session, tenant, actor, found)
    return found, more


# SQL text: a list of relations as values has no portable SQLAlchemy construct. Per relation,
# the ends of its index ranges: the first and last publication date (ix_actor_relations_published)
# and the newest rows (ix_actor_relations_seq). PostgreSQL plans a LATERAL subquery once; SQLite,
# without LATERAL, gets a union of one small branch per relation (PostgreSQL spent ~0.6 ms
# planning each such branch).
_RELATION = ("r.tenant = :tenant AND r.actor = :actor AND r.other = {other} AND r.via = {via} AND r.type = {type} "
             "AND r.direction = {direction}")
_LATERAL = """
WITH wanted(number, other, via, type, direction) AS (VALUES {values})
SELECT wanted.number, dates.first, dates.last, newest.*
FROM wanted
CROSS JOIN LATERAL (SELECT min(r.published_at) AS first, max(r.published_at) AS last FROM actor_relations r
                    WHERE {relation}) AS dates
CROSS JOIN LATERAL (SELECT r.seq, r.article_id, r.version, r.item_id, r.published_at FROM actor_relations r
                    WHERE {relation} ORDER BY r.seq DESC LIMIT {evidence}) AS newest"""
_BRANCH = """SELECT * FROM (
    SELECT {number} AS number, (SELECT min(r.published_at) FROM actor_relations r WHERE {relation}) AS first,
           (SELECT max(r.published_at) FROM actor_relations r WHERE {relation}) AS last,
           r.seq, r.article_id, r.version, r.item_id, r.published_at
    FROM actor_relations r WHERE {relation} ORDER BY r.seq DESC LIMIT {evidence}) AS newest_{number}"""


def _attach_rows(session: Session, tenant: str, actor: str, found: list[Relation]) -> None:
    """Give each relation its first and last publication date and its EVIDENCE_PER_RELATION most
    recently stored events or quotes, in one statement."""
    params = {"tenant": tenant, "actor": actor}
    for n, relation in enumerate(found):
        params |= {f"other_{n}": relation.other, f"via_{n}": relation.via, f"type_{n}": relation.type or "",
                   f"direction_{n}": relation.direction}
    if session.get_bind().dialect.name == "postgresql":
        values = ", ".join(f"({n}, :other_{n}, :via_{n}, :type_{n}, :direction_{n})" for n in range(len(found)))
        relation = _RELATION.format(other="wanted.other", via="wanted.via", type="wanted.type",
                                    direction="wanted.direction")
        sql = _LATERAL.format(values=values, relation=relation, evidence=EVIDENCE_PER_RELATION)
    else:
        sql = " UNION ALL ".join(_BRANCH.format(number=n, evidence=EVIDENCE_PER_RELATION, relation=_RELATION.format(
            other=f":other_{n}", via=f":via_{n}", type=f":type_{n}", direction=f":direction_{n}"))
            for n in range(len(found)))
    for row in sorted(session.execute(text(sql), params), key=lambda r: -r.seq):  # newest evidence first
        relation = found[row.number]
        relation.first_published_at, relation.last_published_at = _date(row.first), _date(row.last)
        relation.evidence.append(Evidence(row.article_id, row.version, row.item_id, _date(row.published_at)))


def _date(value) -> dt.date | None:
    """A date from SQL text: SQLite returns the stored ISO string where no column type says "date"."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
