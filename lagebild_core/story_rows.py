"""The rows of stories: what a story says of its reports, computed from its events' index rows.

`write` creates or updates the rows of the stories a regroup decided (lagebild_core.stories);
`member_rows` reads a story's reports as columns, in the rule's canonical order, for the summary
and for the API. Columns, not the ORM's objects: a regroup reads hundreds of rows, and loading
them as objects cost more than the rest of it.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from lagebild_core import story_rule
from lagebild_core.registry import ascii_fold
from lagebild_core.store.events import EventParticipant, EventRecord
from lagebild_core.store.models import utcnow
from lagebild_core.store.registry import RegistryActor
from lagebild_core.store.stories import Story

_EVENTS, _PEOPLE, _STORIES = EventRecord.__table__, EventParticipant.__table__, Story.__table__


def write(session: Session, tenant: str, ids: list[str]) -> None:
    """Create or update the rows of the stories `ids` from their events (read as columns, and the
    existing rows updated in one statement: loading them through the ORM cost more than the rest)."""
    members = member_rows(session, tenant, ids)
    people = _participants(session, [e.seq for records in members.values() for e in records])
    existing = set(session.scalars(_EXISTING, {"tenant": tenant, "ids": ids}))
    names = _registry_names(session, tenant, {p.global_id for ps in people.values() for p in ps})
    now, created, updated = utcnow(), [], []
    for story in ids:
        values = summary(members[story], people, names)
        if story in existing:
            updated.append({"b_tenant": tenant, "b_id": story, **values, "updated_at": now})
        else:
            created.append({"id": story, "tenant": tenant, **values, "updated_at": now})
    if updated:
        session.execute(_UPDATE, updated)
    if created:
        session.execute(insert(_STORIES), created)


_MEMBERS = select(*(_EVENTS.c[name] for name in (
    "seq", "story_id", "article_id", "version", "event_id", "published_at", "type", "mode", "modality", "time_value",
    "time_granularity", "time_start", "time_end", "event"))).where(_EVENTS.c.tenant == bindparam("tenant"),
                                               _EVENTS.c.story_id.in_(bindparam("ids", expanding=True)))
_EXISTING = select(_STORIES.c.id).where(_STORIES.c.tenant == bindparam("tenant"),
                                        _STORIES.c.id.in_(bindparam("ids", expanding=True)))
_UPDATE = update(_STORIES).where(_STORIES.c.tenant == bindparam("b_tenant"), _STORIES.c.id == bindparam("b_id"))
_SUMMARY_PEOPLE = select(_PEOPLE.c.event_seq, _PEOPLE.c.role, _PEOPLE.c.global_id, _PEOPLE.c.name,
                         _PEOPLE.c.country).where(_PEOPLE.c.event_seq.in_(bindparam("seqs", expanding=True)),
                                                  _PEOPLE.c.global_id.is_not(None)).order_by(_PEOPLE.c.seq)


def member_rows(session: Session, tenant: str, ids: list[str]) -> dict[str, list[Row]]:
    """Return the event rows of each story in `ids` (the columns `summary` and the API's reports
    read), in the rule's canonical order. Columns, not the ORM's objects: story_id is written
    without the ORM, and loading objects cost more than the rest of a regroup."""
    found: dict[str, list[Row]] = {story: [] for story in ids}
    for start in range(0, len(ids), 500):
        for row in session.execute(_MEMBERS, {"tenant": tenant, "ids": ids[start:start + 500]}):
            found[row.story_id].append(row)
    for rows in found.values():
        rows.sort(key=_order)
    return found


def _order(record: Row) -> tuple:
    return (record.published_at or dt.date.max, record.article_id, len(record.event_id), record.event_id)


def _participants(session: Session, seqs: list[int]) -> dict[int, list[Row]]:
    """Return the participant rows with a global id (event_seq, role, global_id, name, country) of
    the events `seqs`, by event, in their order."""
    found: dict[int, list[Row]] = {}
    for start in range(0, len(seqs), 500):
        for row in session.execute(_SUMMARY_PEOPLE, {"seqs": seqs[start:start + 500]}):
            found.setdefault(row.event_seq, []).append(row)
    return found


def _registry_names(session: Session, tenant: str, global_ids: set[str]) -> dict[str, Row]:
    """{global id: (id, name, country)} of the registry actors (columns, not rows of the ORM: a
    regroup reads hundreds, and loading them whole cost a tenth of storing an article)."""
    if not global_ids:
        return {}
    return {row.id: row for row in session.execute(select(RegistryActor.id, RegistryActor.name, RegistryActor.country)
                                                   .where(RegistryActor.tenant == tenant,
                                                          RegistryActor.id.in_(sorted(global_ids))))}


def summary(records: list[Row], people: dict[int, list[Row]],
             registry: dict[str, Row]) -> dict:
    """The story row's values: type, the most frequent mode, the participants and place as global
    actors, the narrowest time all reports agree with, the first and last report, the search text."""
    participants: dict[str, dict] = {}
    place = None
    for record in records:
        for p in people.get(record.seq, []):
            entry = registry.get(p.global_id)
            actor = {"global_id": p.global_id, "name": entry.name if entry else p.name,
                     "country": entry.country if entry else p.country}
            if p.role == "location" and (place is None or place["global_id"].startswith("state:")):
                place = {"global_id": p.global_id, "name": actor["name"]}  # the narrowest: a city before its state
            elif not story_rule.is_place(p.global_id):
                participants.setdefault(p.global_id, actor)
    modes = Counter(r.mode for r in records if r.mode)
    mode = min(modes, key=lambda m: (-modes[m], m)) if modes else None
    ranges = [(r.time_start, r.time_end) for r in records if r.time_start is not None]
    common = (max(s for s, _ in ranges), min(e for _, e in ranges)) if ranges else None
    exact = next((r for r in records if common and (r.time_start, r.time_end) == common), None)
    dates = [r.published_at for r in records if r.published_at]
    words = [a["name"] or "" for a in participants.values()] + [(place or {}).get("name") or ""] + \
        [((r.event or {}).get("evidence") or {}).get("text") or "" for r in records]
    return {
        "type": records[0].type, "mode": mode, "participants": list(participants.values()),
        "place_id": place and place["global_id"], "place_name": place and (place["name"] or "")[:500],
        "time_start": common and common[0], "time_end": common and common[1],
        "time_value": exact and exact.time_value, "time_granularity": exact and exact.time_granularity,
        "first_report": min(dates) if dates else None, "last_report": max(dates) if dates else None,
        "report_count": len(records), "article_count": len({r.article_id for r in records}),
        "search": "|" + "|".join(ascii_fold(w) for w in words if w) + "|",
    }
