"""/v1/events: the events of every article's latest extraction, filtered and paginated, or exported."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import events, places
from service import exports
from service.api import operation, problems
from service.http import db, json_response, next_link, tenant, version_links
from service.resources.events import examples
from service.resources.events.schemas import EventFeatureCollectionSchema, EventListArgsSchema, EventPageSchema

blp = Blueprint("events", __name__, url_prefix="/v1",
                description="Events across articles: who did what to whom, where and when (PLOVER).")

CSV_COLUMNS = ("article_id", "version", "published_at", "event_id", "type", "mode", "modality", "time_text",
               "time_value", "time_granularity", "trigger", "evidence", "location", "source_ids", "source_names",
               "target_ids", "target_names", "confidence", "story_id")


def _links(record) -> dict:
    return version_links(record.article_id, record.version) | {
        "story": record.story_id and url_for("stories.get_story", story_id=record.story_id)}


def event_body(record, participants) -> dict:
    """The JSON representation of one indexed event."""
    return {
        "article_id": record.article_id,
        "version": record.version,
        "published_at": record.published_at and record.published_at.isoformat(),
        "event": record.event,
        "story_id": record.story_id,
        "participants": [{"role": p.role, "actor": p.actor_id, "global_id": p.global_id, "name": p.name,
                          "country": p.country} for p in participants],
        "links": _links(record),
    }


def _csv_rows(session, records):
    people = events.participants(session, records)
    for r in records:
        event, time = r.event, r.event.get("time") or {}
        sides = {role: [p for p in people.get(r.seq, []) if p.role == role] for role in ("source", "target")}
        yield (r.article_id, r.version, r.published_at and r.published_at.isoformat(), r.event_id, r.type, r.mode,
               r.modality, time.get("text"), r.time_value, r.time_granularity, (event.get("trigger") or {}).get("text"),
               (event.get("evidence") or {}).get("text"), (event.get("location") or {}).get("text"),
               [p.global_id for p in sides["source"]], [p.name for p in sides["source"]],
               [p.global_id for p in sides["target"]], [p.name for p in sides["target"]], event.get("confidence"),
               r.story_id)


def _features(session, records):
    """GeoJSON features of the events whose place resolves to a point (lagebild_core.places)."""
    people = events.participants(session, records)
    for r in records:
        location = r.event.get("location") or {}
        where = next((p for p in people.get(r.seq, []) if p.role == "location"), None)
        state = where.global_id.removeprefix("state:") if where and (where.global_id or "").startswith("state:") else None
        place = places.locate([where and where.name, location.get("text")], state) if location else None
        if place is None:
            continue
        refs = {role: [{"id": p.global_id, "name": p.name} for p in people.get(r.seq, []) if p.role == role]
                for role in ("source", "target")}
        yield exports.point_feature(place.longitude, place.latitude, {
            "article_id": r.article_id, "version": r.version,
            "published_at": r.published_at and r.published_at.isoformat(), "event_id": r.event_id, "type": r.type,
            "mode": r.mode, "modality": r.modality, "time": r.time_value, "location": location.get("text") or "",
            "place": place.name, "precision": place.precision, "sources": refs["source"], "targets": refs["target"],
            "links": _links(r)})


@blp.route("/events", methods=["GET"])
@operation(blp, "list_events", "List events across articles, newest first",
           **exports.alternatives(CSV_COLUMNS, examples.CSV_ROW, EventFeatureCollectionSchema, examples.FEATURES))
@blp.arguments(EventListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, EventPageSchema, example=examples.PAGE)
@problems(blp, 406, 422)
def list_events(limit, cursor, type, actor, country, date_from, date_to, modality, story):
    """The events of each article's latest extraction. Filter by PLOVER type, global actor id,
    country, time range (overlap with the event's normalised time), modality and story. With
    `Accept: text/csv`, every matching event (all pages) as CSV; with `Accept:
    application/geo+json`, those whose place resolves to coordinates as a FeatureCollection."""
    kind = exports.negotiate(exports.JSON, exports.CSV, exports.GEOJSON)
    filters = {"type": type, "actor": actor, "country": country, "date_from": date_from, "date_to": date_to,
               "modality": modality, "story": story}

    def fetch(session, after, size):
        return events.list_events(session, tenant=tenant(), limit=size, cursor=after, **filters)

    download = exports.export(kind, fetch, "events", CSV_COLUMNS, _csv_rows, _features)
    if download is not None:
        return download
    session = db().session
    records, next_cursor = fetch(session, cursor, limit)
    people = events.participants(session, records)
    query = {"limit": limit, "type": type, "actor": actor, "country": country, "modality": modality, "story": story,
             "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat()}
    return json_response({
        "items": [event_body(r, people.get(r.seq, [])) for r in records],
        "next_cursor": next_cursor,
        "next": next_link("events.list_events", next_cursor, **query),
    })
