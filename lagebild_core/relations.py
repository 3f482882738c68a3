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
both actors' sides; `relations` reads one actor's.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select, union_all
from sqlalchemy.orm import Session

from lagebild_core.quotes import superseded
from lagebild_core.store.relations import RelationRecord

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
        yield speaker, ids.get(quote.get("addressee")), "quote", None, "outgoing", quote["id"]


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


def index_relations(session: Session, tenant: str, article_id: str, version: int, document: dict) -> int:
    """Make the index hold the relations of `document` (version `version` of the article); a
    version older than the article's newest stored one changes nothing. Returns the rows written."""
    if superseded(session, article_id, version):
        return 0
    session.execute(delete(RelationRecord).where(RelationRecord.article_id == article_id))
    rows = relation_rows(tenant, article_id, version, document)
    if rows:
        session.execute(RelationRecord.__table__.insert(), rows)
    return len(rows)


def relations(session: Session, actor: str, *, tenant: str, limit: int, via: str | None = None,
              type: str | None = None) -> tuple[list[Relation], bool]:
    """Return the actor's relations, most frequent first (at most `limit`), and whether there are more.

    `via` keeps only event or quote relations, `type` only event relations of that PLOVER type.
    The caller checks that the actor is the tenant's (lagebild_core.actors.get_actor)."""
    rows = select(RelationRecord).where(RelationRecord.tenant == tenant, RelationRecord.actor == actor)
    if via:
        rows = rows.where(RelationRecord.via == via)
    if type:
        rows = rows.where(RelationRecord.type == type)
    key = (RelationRecord.other, RelationRecord.via, RelationRecord.type, RelationRecord.direction)
    groups = (rows.with_only_columns(*key, func.count().label("count"),
                                     func.min(RelationRecord.published_at).label("first"),
                                     func.max(RelationRecord.published_at).label("last"))
              .group_by(*key)
              .order_by(func.count().desc(), *key)
              .limit(limit + 1))
    found = [Relation(r.other, r.via, r.type, r.direction, r.count, r.first, r.last) for r in session.execute(groups)]
    more, found = len(found) > limit, found[:limit]
    if found:
        _attach_evidence(session, rows, found)
    return found, more


def _attach_evidence(session: Session, rows, found: list[Relation]) -> None:
    """Give each relation its EVIDENCE_PER_RELATION most recently stored events or quotes: one
    branch per relation reading the end of its range of the actor index, all in one statement."""
    branches = []
    for relation in found:
        group = (rows.where(RelationRecord.other == relation.other, RelationRecord.via == relation.via,
                            RelationRecord.direction == relation.direction,
                            RelationRecord.type == relation.type if relation.type else RelationRecord.type.is_(None))
                 .with_only_columns(RelationRecord.other, RelationRecord.via, RelationRecord.type,
                                    RelationRecord.direction, RelationRecord.seq, RelationRecord.article_id,
                                    RelationRecord.version, RelationRecord.item_id, RelationRecord.published_at)
                 .order_by(RelationRecord.seq.desc()).limit(EVIDENCE_PER_RELATION))
        branches.append(select(group.subquery().c))  # a subquery: SQLite allows no LIMIT in a bare branch
    wanted = {(r.other, r.via, r.type, r.direction): r for r in found}
    for row in session.execute(union_all(*branches)):
        wanted[(row.other, row.via, row.type, row.direction)].evidence.append(
            Evidence(row.article_id, row.version, row.item_id, row.published_at))
