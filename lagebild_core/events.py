"""Events across articles: the index of the latest extraction's events and its queries.

`index_events` is called by `domain.store_extraction` once a version is stored (and the actor
registry has given the actors their global ids); `list_events` answers `GET /v1/events`.
Like the domain functions, both take an open session and leave committing to the caller.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from sqlalchemy import and_, delete, exists, func, insert, select, text
from sqlalchemy.orm import Session, aliased

from lagebild_core import stories, story_rule
from lagebild_core.dates import bounds
from lagebild_core.pagination import check_date_range, decode_cursor, page
from lagebild_core.store.events import EventParticipant, EventRecord


def index_events(session: Session, tenant: str, article_id: str, version: int, document: dict, *,
                 newest: bool = False, regroup: bool = True, first: bool = False) -> stories.Change | None:
    """Make the index hold the events of `document` (version `version` of the article).

    Rows of older versions are replaced; an older version stored late leaves a newer index
    alone (`newest`: the caller knows this version is the article's newest). The stories the old
    and new events touch are regrouped (lagebild_core.stories) unless `regroup` is False: the
    caller regroups a batch of articles at once (stories.regroup_all), which writes the new rows.
    `first`: the article had no version before, so there are no rows to replace (two queries
    fewer). The caller holds the tenant's story lock (stories.lock_tenant). Returns what changed
    (None when nothing did)."""
    if not newest:
        latest = session.scalar(select(func.max(EventRecord.version)).where(EventRecord.article_id == article_id))
        if latest is not None and latest > version:
            return None
    before, stale = ([], set()) if first else stories.reports_of_article(session, article_id)
    if before:  # the participants go with their events (ON DELETE CASCADE)
        session.execute(delete(EventRecord).where(EventRecord.article_id == article_id))
    inserted = index_new_events(session, tenant, [(article_id, version, document)])
    change = dataclasses.replace(inserted, before=before, stale=stale)
    if regroup:
        stories.regroup_all(session, tenant, [change])
    return change


def index_new_events(session: Session, tenant: str, articles: list[tuple[str, int, dict]]) -> stories.Change:
    """Prepare the index rows of the events of (article id, version, document) of articles that
    have no indexed events (a first version), and return the Change for the stories: its rows are
    written by the regroup, once it has decided their stories (the caller regroups them and holds
    the tenant's lock), in one statement for the events and one for their participants.

    Written with their story: inserted first and given it by the regroup after, every new event
    was written twice, all of its index entries with it (story_id is indexed). Until then the
    reports carry provisional keys (negative, unique in the process), in the order of the rows."""
    rows, roles = [], []
    for article_id, version, document in articles:
        actors = {a["id"]: a for a in document.get("actors") or []}
        published = document.get("published_at")
        published_at = dt.date.fromisoformat(published[:10]) if published else None
        for event in document.get("events") or []:
            rows.append(_event_row(tenant, article_id, version, published_at, event))
            roles.append([{"role": role, "actor_id": actor_id, "global_id": actor.get("global_id"),
                           "name": (actor.get("name") or "")[:500] or None, "country": actor.get("country")}
                          for role, actor_id, actor in ((role, actor_id, actors.get(actor_id, {}))
                                                        for role, actor_id in _roles(event))])
    keys = [next(_PROVISIONAL) for _ in rows]
    fresh = stories.as_reports([(key, r["article_id"], r["event_id"], r["published_at"], r["type"], r["time_start"],
                                 r["time_end"]) for key, r in zip(keys, rows)],
                               [(key, p["role"], p["global_id"], p["country"]) for key, ps in zip(keys, roles) for p in ps])

    def write(session: Session, story_of: dict[int, str]) -> None:
        for key, row in zip(keys, rows):
            row["story_id"] = story_of.get(key)
        seqs = _insert(session, rows) if rows else []
        participants = [{"event_seq": seq, **p} for seq, ps in zip(seqs, roles) for p in ps]
        if participants:
            session.execute(insert(EventParticipant.__table__), participants)

    return stories.Change(seqs=keys, fresh=fresh, write=write)


_PROVISIONAL = itertools.count(-1, -1)  # the keys of reports whose rows are not written yet


def _insert(session: Session, rows: list[dict]) -> list[int]:
    """Insert the event rows and return their seqs, in the order of `rows`."""
    if not _numbers_first(session):
        # the seqs come back by (article, event id), in whatever order the database returns them
        seq_of = {(article_id, event_id): seq for seq, article_id, event_id in session.execute(
            insert(EventRecord.__table__).returning(EventRecord.seq, EventRecord.article_id, EventRecord.event_id),
            rows)}
        return [seq_of[row["article_id"], row["event_id"]] for row in rows]
    # PostgreSQL: the seqs drawn first, in one statement, and the rows inserted with them by one
    # statement executed for each (both texts fixed: compiled and prepared once). An INSERT …
    # RETURNING of a batch's rows is one VALUES list whose text changes with their number: psycopg
    # converted its ~15 kB anew for every batch (~3 ms) and PostgreSQL parsed and planned it anew
    seqs = sorted(session.scalars(_NEXT_SEQS, {"count": len(rows)}))
    session.execute(insert(EventRecord.__table__), [{"seq": seq, **row} for seq, row in zip(seqs, rows)])
    return seqs


_NEXT_SEQS = text("SELECT nextval(pg_get_serial_sequence('events', 'seq')) FROM generate_series(1, :count)")


def _numbers_first(session: Session) -> bool:
    """Whether event rows are inserted with seqs drawn from their sequence first (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def _event_row(tenant: str, article_id: str, version: int, published_at: dt.date | None, event: dict) -> dict:
    """The index row (column -> value) of one event of a document."""
    time = event.get("time") or {}
    start, end = bounds(time) or (None, None)
    window = story_rule.window(start, end, published_at) or (None, None)
    return {"article_id": article_id, "tenant": tenant, "version": version, "event_id": event["id"],
            "type": event["type"], "mode": event.get("mode"), "modality": event.get("modality") or "asserted",
            "time_value": time.get("value"), "time_granularity": time.get("granularity"),
            "time_start": start, "time_end": end, "published_at": published_at, "event": event,
            "window_start": window[0], "window_end": window[1]}


def _roles(event: dict) -> list[tuple[str, str]]:
    """(role, local actor id) of an event's participants: sources, targets, the place's actor."""
    roles = [("source", a) for a in event.get("source") or []] + [("target", a) for a in event.get("target") or []]
    location = event.get("location") or {}
    if location.get("actor"):
        roles.append(("location", location["actor"]))
    return roles


def list_events(session: Session, *, tenant: str, limit: int, cursor: str | None = None, type: str | None = None,
                actor: str | None = None, country: str | None = None, date_from: dt.date | None = None,
                date_to: dt.date | None = None, modality: str | None = None,
                story: str | None = None) -> tuple[list[EventRecord], str | None]:
    """Return one page of the tenant's indexed events, newest first, and the cursor of the next page.

    `actor` is a global actor id and matches sources and targets; `country` (ISO alpha-3)
    matches a source's, target's or the location's country; `date_from`/`date_to` keep events
    whose time overlaps the range (events without a time are left out when a range is given).
    """
    check_date_range(date_from, date_to)
    query = select(EventRecord).where(EventRecord.tenant == tenant)
    position = EventRecord.seq
    if actor:
        # driven by the actor's participant rows (index global_id, event_seq), newest first: a rare
        # actor's page does not scan every event, a frequent one's stops after `limit`; the first
        # of its rows per event only, should it be a source and a target of one event
        mine, earlier = aliased(EventParticipant), aliased(EventParticipant)
        position = mine.event_seq
        query = (query.select_from(mine).join(EventRecord, EventRecord.seq == mine.event_seq)
                 .where(mine.global_id == actor, mine.role.in_(("source", "target")),
                        ~exists().where(earlier.global_id == actor, earlier.event_seq == mine.event_seq,
                                        earlier.role.in_(("source", "target")), earlier.seq < mine.seq)))
    query = query.order_by(position.desc()).limit(limit + 1)
    if cursor:
        query = query.where(position < decode_cursor(cursor))
    if type:
        query = query.where(EventRecord.type == type)
    if modality:
        query = query.where(EventRecord.modality == modality)
    if story:
        query = query.where(EventRecord.story_id == story)
    if country:
        query = query.where(exists().where(and_(
            EventParticipant.event_seq == EventRecord.seq, EventParticipant.country == country.upper())))
    if date_from:
        query = query.where(EventRecord.time_end >= date_from)
    if date_to:
        query = query.where(EventRecord.time_start <= date_to)
    return page(list(session.scalars(query)), limit, lambda e: e.seq)


def participants(session: Session, records: list[EventRecord]) -> dict[int, list[EventParticipant]]:
    """Return the participants of the given event rows, by event row."""
    if not records:
        return {}
    rows = session.scalars(select(EventParticipant).where(
        EventParticipant.event_seq.in_([r.seq for r in records])).order_by(EventParticipant.seq))
    found: dict[int, list[EventParticipant]] = {}
    for row in rows:
        found.setdefault(row.event_seq, []).append(row)
    return found
