"""Stories across articles: grouping indexed events that report one happening, and queries.

`regroup` runs inside the transaction that changes an article's indexed events (a new
version: lagebild_core.events.index_events; a deletion: domain.delete_article). It finds the
neighbourhood the change can affect, the connected part of the compatibility graph around the
article's old and new events (lagebild_core.story_rule.compatible, looked up by index: same
tenant and type, overlapping windows, a shared participant), cuts it into stories with
story_rule.partition and rewrites their rows (lagebild_core.story_rows). Since the partition of
a connected part depends only on its events, the stories are the same whatever order the
articles arrived in.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass, field
from typing import Callable, Sequence

from sqlalchemy import (Integer, Row, and_, bindparam, delete, exists, literal_column, select, text, union_all,
                        update)
from sqlalchemy.orm import Session

from lagebild_core import story_rows, story_rule
from lagebild_core.exceptions import NotFound
from lagebild_core.pagination import check_date_range, decode_cursor, page
from lagebild_core.store.events import EventParticipant, EventRecord
from lagebild_core.store.stories import Story
from lagebild_core.story_rule import Report
from lagebild_core.text_search import contains

log = logging.getLogger(__name__)

MAX_NEIGHBOURHOOD = 5000  # events regrouped at once; a larger connected part is cut off (logged)
ACTOR_ROLES = ("source", "target")


def lock_tenant(session: Session, tenant: str) -> None:
    """Serialise story changes of one tenant until the transaction ends (PostgreSQL): two
    workers regrouping at once would each miss the other's new events. Storing a version takes
    it before linking actors too (domain.store_extraction), so that registry rows are not created
    twice. Callers lock the article first and this second, before touching any event or registry
    row, so the order is the same everywhere. SQLite has one writer at a time anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"stories:{tenant}"})


def reports_of_article(session: Session, article_id: str) -> tuple[list[Report], set[str]]:
    """Return the article's indexed events as reports, and their story ids (before a change)."""
    seqs = list(session.scalars(select(EventRecord.seq).where(EventRecord.article_id == article_id)))
    reports, stories = _load(session, seqs)
    return list(reports.values()), set(stories.values()) - {None}


def regroup(session: Session, tenant: str, *, seqs: list[int], before: list[Report] = (),
            stale: set[str] = frozenset(), fresh: dict[int, Report] | None = None,
            writes: Sequence[Callable[[Session, dict[int, str]], None]] = ()) -> None:
    """Recompute the stories around the events `seqs` (rows of the tenant just indexed, or keys
    of `fresh`) and around `before` (the reports they replace, already deleted), whose stories
    were `stale`. `fresh`: the reports of new rows not written yet (by provisional key); `writes`
    write them, given their stories ({key: story id}), once decided."""
    session.flush()  # the lookups below run as Core statements, which do not flush the ORM's changes
    cache: dict[int, Report] = dict(fresh or {})
    unwritten = set(cache)
    old_story: dict[int, str | None] = dict.fromkeys(cache)
    _load_into(session, seqs, cache, old_story)
    # the rows not written yet (`fresh`) are all in `seqs`, so in the first step: the lookups need not find them
    frontier = [s for s in seqs if s in cache] + _compatible_neighbours(session, tenant, before, cache, old_story)
    component: set[int] = set()
    while frontier:  # breadth first, one lookup per step and chunk of the frontier
        step = [s for s in dict.fromkeys(frontier) if s not in component][:MAX_NEIGHBOURHOOD - len(component)]
        component.update(step)
        if len(component) >= MAX_NEIGHBOURHOOD:
            log.warning("stories of tenant %s: neighbourhood cut at %d events", tenant, MAX_NEIGHBOURHOOD)
            break
        frontier = [s for s in _compatible_neighbours(session, tenant, [cache[s] for s in step], cache, old_story)
                    if s not in component]
    groups = story_rule.partition([cache[s] for s in component])
    ids = [story_rule.story_id(tenant, members) for members in groups]
    story_of = {r.key: story for story, members in zip(ids, groups) for r in members}
    for write in writes:
        write(session, story_of)
    moved = [{"row": key, "story": story} for key, story in story_of.items()
             if key not in unwritten and old_story.get(key) != story]
    if moved:  # one statement, executed for each moved event (the stories are then read as columns, not objects)
        table = EventRecord.__table__
        session.execute(update(table).where(table.c.seq == bindparam("row")).values(story_id=bindparam("story")),
                        moved)
    session.flush()
    story_rows.write(session, tenant, ids)
    gone = (set(stale) | {old_story.get(s) for s in component}) - set(ids) - {None}
    if gone:
        session.execute(delete(Story).where(Story.tenant == tenant, Story.id.in_(gone), ~exists().where(
            and_(EventRecord.tenant == tenant, EventRecord.story_id == Story.id))))
    session.flush()


@dataclass(frozen=True)
class Change:
    """What indexing one article's events did, for `regroup`: the new rows (`seqs`, their
    reports in `fresh`, both by provisional key; `write` writes them with their stories) and the
    reports of the rows they replaced (`before`, in stories `stale`)."""

    seqs: list[int]
    before: list[Report] = field(default_factory=list)
    stale: set[str] = field(default_factory=set)
    fresh: dict[int, Report] = field(default_factory=dict)
    write: Callable[[Session, dict[int, str]], None] | None = None


def regroup_all(session: Session, tenant: str, changes: list[Change]) -> None:
    """One `regroup` for the changes of several articles of the tenant: the stories come out as
    with one regroup per article (a story depends only on the connected part of its events), for
    the price of one neighbourhood search and one rewrite of the stories they share."""
    regroup(session, tenant, seqs=[seq for change in changes for seq in change.seqs],
            before=[report for change in changes for report in change.before],
            stale=set().union(*(change.stale for change in changes)),
            fresh={seq: report for change in changes for seq, report in change.fresh.items()},
            writes=[change.write for change in changes if change.write is not None])


def group_unassigned(session: Session) -> int:
    """Give every indexed event without a story one (events indexed before stories existed,
    migration 0007); return how many there were. Cheap when there are none."""
    seen: set[int] = set()
    while True:  # in batches: one regroup covers at most MAX_NEIGHBOURHOOD events
        rows = session.execute(select(EventRecord.tenant, EventRecord.seq).where(EventRecord.story_id.is_(None))
                               .order_by(EventRecord.seq).limit(1000)).all()
        if not rows or all(seq in seen for _, seq in rows):
            return len(seen)
        by_tenant: dict[str, list[int]] = {}
        for tenant, seq in rows:
            by_tenant.setdefault(tenant, []).append(seq)
            seen.add(seq)
        for tenant, seqs in sorted(by_tenant.items()):
            lock_tenant(session, tenant)
            regroup(session, tenant, seqs=seqs)


# --- reading the index ------------------------------------------------------------------

_EVENTS, _PEOPLE, _STORIES = EventRecord.__table__, EventParticipant.__table__, Story.__table__
# the statements of a regroup, built once: Core columns and bound lists, since building them from the
# ORM's attributes and running them through its loading cost more than the database took
_ROWS = select(_EVENTS.c.seq, _EVENTS.c.article_id, _EVENTS.c.event_id, _EVENTS.c.published_at, _EVENTS.c.type,
               _EVENTS.c.time_start, _EVENTS.c.time_end, _EVENTS.c.story_id) \
    .where(_EVENTS.c.seq.in_(bindparam("seqs", expanding=True)))
_PEOPLE_OF = select(_PEOPLE.c.event_seq, _PEOPLE.c.role, _PEOPLE.c.global_id, _PEOPLE.c.country) \
    .where(_PEOPLE.c.event_seq.in_(bindparam("seqs", expanding=True)), _PEOPLE.c.global_id.is_not(None))


def _load(session: Session, seqs: list[int]) -> tuple[dict[int, Report], dict[int, str | None]]:
    """Return the reports of the event rows `seqs` and the story each row names now."""
    if not seqs:
        return {}, {}
    rows = session.execute(_ROWS, {"seqs": seqs}).all()
    people = session.execute(_PEOPLE_OF, {"seqs": seqs}).all()
    return as_reports([tuple(row)[:7] for row in rows], people), {row.seq: row.story_id for row in rows}


def as_reports(rows: list[tuple], people: list[tuple]) -> dict[int, Report]:
    """The reports of event rows, by row: `rows` of (seq, article_id, event_id, published_at, type,
    time_start, time_end), `people` of their participants' (event_seq, role, global_id, country)."""
    actors: dict[int, set[str]] = {}
    places: dict[int, tuple[str, str | None]] = {}
    for seq, role, global_id, country in people:
        if global_id is None:
            continue
        if role == "location":
            places[seq] = (global_id, country)
        elif not story_rule.is_place(global_id):
            actors.setdefault(seq, set()).add(global_id)
    return {seq: Report(key=seq, article_id=article_id, event_id=event_id, published_at=published_at, type=type_,
                        actors=frozenset(actors.get(seq, ())), place=places.get(seq, (None, None))[0],
                        place_country=places.get(seq, (None, None))[1], time_start=start, time_end=end)
            for seq, article_id, event_id, published_at, type_, start, end in rows}


def _load_into(session, seqs, cache: dict[int, Report], old_story: dict) -> None:
    missing = sorted(set(seqs) - set(cache))
    for start in range(0, len(missing), 500):
        reports, stories = _load(session, missing[start:start + 500])
        cache.update(reports)
        old_story.update(stories)


def _compatible_neighbours(session, tenant: str, reports: list[Report], cache, old_story) -> list[int]:
    """Return the rows compatible with any of `reports`: the index finds the candidates (same
    tenant and type, overlapping window, a shared participant), the rule decides. One lookup per
    type and chunk of reports close in time, up to LOOKUPS_PER_STATEMENT of them in one statement."""
    usable = sorted((r for r in reports if r.window is not None and r.actors), key=lambda r: (r.type, r.window[0]))
    chunks: list[list[Report]] = []
    chunk: list[Report] = []
    for report in usable + [None]:
        if chunk and (report is None or report.type != chunk[0].type or len(chunk) >= 100
                      or report.window[0] > chunk[0].window[0] + dt.timedelta(days=story_rule.MAX_WINDOW_DAYS)):
            chunks.append(chunk)
            chunk = []
        if report is not None:
            chunk.append(report)
    found: list[int] = []
    for group in _statement_groups(chunks):
        candidates = _candidates(session, tenant, group)
        _load_into(session, [s for seqs in candidates for s in seqs], cache, old_story)
        for chunk, seqs in zip(group, candidates):
            keys = {r.key for r in chunk}
            found += [s for s in seqs if s not in keys and any(story_rule.compatible(r, cache[s]) for r in chunk)]
    return list(dict.fromkeys(found))


LOOKUPS_PER_STATEMENT = 50  # chunks looked up in one statement (a UNION ALL; SQLite allows 500 parts)
ACTORS_PER_STATEMENT = 5000  # bound actor ids in one statement (SQLite allows 32,766 parameters)


def _statement_groups(chunks: list[list[Report]]) -> list[list[list[Report]]]:
    """Return `chunks` cut into consecutive groups that one `_candidates` statement can take."""
    groups: list[list[list[Report]]] = []
    actors = 0
    for chunk in chunks:
        size = len(set().union(*(r.actors for r in chunk)))
        if not groups or len(groups[-1]) >= LOOKUPS_PER_STATEMENT or actors + size > ACTORS_PER_STATEMENT:
            groups.append([])
            actors = 0
        groups[-1].append(chunk)
        actors += size
    return groups


def _candidates(session, tenant: str, chunks: list[list[Report]]) -> list[list[int]]:
    """Return the candidate rows of each chunk (ascending), as the index finds them."""
    params: dict = {"tenant": tenant}
    for i, chunk in enumerate(chunks):
        first, last = min(r.window[0] for r in chunk), max(r.window[1] for r in chunk)
        params.update({f"type{i}": chunk[0].type, f"earliest{i}": first - dt.timedelta(days=story_rule.MAX_WINDOW_DAYS),
                       f"last{i}": last, f"first{i}": first,
                       f"actors{i}": sorted(set().union(*(r.actors for r in chunk)))})
    found: list[list[int]] = [[] for _ in chunks]
    for part, seq in session.execute(_candidate_lookup(len(chunks)), params):
        found[part].append(seq)
    return found


@functools.lru_cache(maxsize=None)
def _candidate_lookup(parts: int):
    """The statement looking up the candidates of `parts` chunks: rows of (chunk number, seq),
    ordered by both. Built once for each number of parts."""
    # a window spans at most MAX_WINDOW_DAYS, which bounds window_start from below too (`earliest`):
    # the lookup is a range on ix_events_story_candidates, not a scan of a frequent actor's rows.
    # A join, not EXISTS: on tables not analysed yet (a new database's first minute, before
    # autovacuum) PostgreSQL ran the EXISTS as a scan of all participants per candidate event
    # (4.4 ms against 0.2 ms at 400 events); the join lets it start from either index
    lookups = union_all(*(
        select(literal_column(str(i), Integer).label("part"), _EVENTS.c.seq.label("found")).distinct()
        .join(_PEOPLE, _PEOPLE.c.event_seq == _EVENTS.c.seq)
        .where(_EVENTS.c.tenant == bindparam("tenant"), _EVENTS.c.type == bindparam(f"type{i}"),
               _EVENTS.c.window_start.between(bindparam(f"earliest{i}"), bindparam(f"last{i}")),
               _EVENTS.c.window_end >= bindparam(f"first{i}"), _PEOPLE.c.role.in_(ACTOR_ROLES),
               _PEOPLE.c.global_id.in_(bindparam(f"actors{i}", expanding=True)))
        for i in range(parts)))
    return lookups.order_by(lookups.selected_columns.part, lookups.selected_columns.found)


# --- queries ----------------------------------------------------------------------------

def list_stories(session: Session, *, tenant: str, limit: int, cursor: str | None = None, type: str | None = None,
                 actor: str | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
                 q: str | None = None) -> tuple[list[Story], str | None]:
    """Return one page of the tenant's stories, newest first, and the cursor of the next page.

    `actor` is a global actor id among the participants; `date_from`/`date_to` keep stories
    whose time overlaps the range (stories without a time are left out when a range is given);
    `q` matches participant and place names and the reports' evidence sentences, case- and
    accent-insensitively.
    """
    check_date_range(date_from, date_to)
    query = select(Story).where(Story.tenant == tenant).order_by(Story.seq.desc()).limit(limit + 1)
    if cursor:
        query = query.where(Story.seq < decode_cursor(cursor))
    if type:
        query = query.where(Story.type == type)
    if actor:
        query = query.where(exists().where(and_(
            EventRecord.tenant == tenant, EventRecord.story_id == Story.id,
            EventParticipant.event_seq == EventRecord.seq, EventParticipant.global_id == actor,
            EventParticipant.role.in_(ACTOR_ROLES))))
    if date_from:
        query = query.where(Story.time_end >= date_from)
    if date_to:
        query = query.where(Story.time_start <= date_to)
    if q and q.strip():
        query = query.where(Story.search.like(contains(q), escape="\\"))
    return page(list(session.scalars(query)), limit, lambda s: s.seq)


def get_story(session: Session, story_id: str, *, tenant: str) -> Story:
    """Return the tenant's story with this id, or raise NotFound."""
    row = session.scalar(select(Story).where(Story.tenant == tenant, Story.id == story_id))
    if row is None:
        raise NotFound(f"There is no story with id '{story_id}'.")
    return row


def reports(session: Session, stories: list[Story]) -> dict[str, list[Row]]:
    """Return the event rows (reports) of each story, first report first."""
    if not stories:
        return {}
    return story_rows.member_rows(session, stories[0].tenant, [s.id for s in stories])
