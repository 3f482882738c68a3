"""/v1/stories: one happening, however many articles report it."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import places, stories
from lagebild_core.domain import rfc3339
from service import exports
from service.api import operation, problems
from service.http import db, json_response, next_link, tenant, version_links
from service.resources.stories import examples
from service.resources.stories.schemas import (
    StoryFeatureCollectionSchema,
    StoryListArgsSchema,
    StoryPageSchema,
    StorySchema,
)

CSV_COLUMNS = ("story_id", "type", "mode", "time_value", "time_granularity", "time_start", "time_end", "place_id",
               "place_name", "participant_ids", "participant_names", "first_report", "last_report", "report_count",
               "article_count", "article_ids")

blp = Blueprint("stories", __name__, url_prefix="/v1",
                description="Stories: the events of different articles that report one happening.")


def report_body(record) -> dict:
    event = record.event or {}
    return {
        "article_id": record.article_id, "version": record.version, "event_id": record.event_id,
        "published_at": record.published_at and record.published_at.isoformat(),
        "mode": record.mode, "modality": record.modality, "time": event.get("time"), "evidence": event["evidence"],
        "links": version_links(record.article_id, record.version),
    }


def story_body(row, records) -> dict:
    """The JSON representation of a story with its reports."""
    time = None
    if row.time_start is not None:
        time = {"value": row.time_value, "granularity": row.time_granularity,
                "start": row.time_start.isoformat(), "end": row.time_end.isoformat()}
    place = None
    if row.place_id:
        place = {"global_id": row.place_id, "name": row.place_name}
    return {
        "id": row.id, "type": row.type, "mode": row.mode, "participants": list(row.participants or []),
        "place": place, "time": time,
        "first_report": row.first_report and row.first_report.isoformat(),
        "last_report": row.last_report and row.last_report.isoformat(),
        "report_count": row.report_count, "article_count": row.article_count,
        "reports": [report_body(r) for r in records], "updated_at": rfc3339(row.updated_at),
        "links": {"self": url_for("stories.get_story", story_id=row.id),
                  "events": url_for("events.list_events", story=row.id)},
    }


def _csv_rows(session, rows):
    members = stories.reports(session, rows)
    for row in rows:
        people = row.participants or []
        yield (row.id, row.type, row.mode, row.time_value, row.time_granularity,
               row.time_start and row.time_start.isoformat(), row.time_end and row.time_end.isoformat(),
               row.place_id, row.place_name, [p.get("global_id") for p in people], [p.get("name") for p in people],
               row.first_report and row.first_report.isoformat(), row.last_report and row.last_report.isoformat(),
               row.report_count, row.article_count,
               sorted({r.article_id for r in members.get(row.id, [])}))


def _features(session, rows):
    """GeoJSON features of the stories whose place resolves to a point (lagebild_core.places)."""
    for row in rows:
        if not row.place_id:
            continue
        state = row.place_id.removeprefix("state:") if row.place_id.startswith("state:") else None
        place = places.locate([row.place_name], state)
        if place is None:
            continue
        yield exports.point_feature(place.longitude, place.latitude, {
            "story_id": row.id, "type": row.type, "mode": row.mode, "time": row.time_value,
            "place": place.name, "precision": place.precision,
            "participants": [{"id": p.get("global_id"), "name": p.get("name")} for p in row.participants or []],
            "first_report": row.first_report and row.first_report.isoformat(),
            "last_report": row.last_report and row.last_report.isoformat(), "report_count": row.report_count,
            "links": {"self": url_for("stories.get_story", story_id=row.id)}})


@blp.route("/stories", methods=["GET"])
@operation(blp, "list_stories", "List stories across articles, newest first",
           **exports.alternatives(CSV_COLUMNS, examples.CSV_ROW, StoryFeatureCollectionSchema, examples.FEATURES))
@blp.arguments(StoryListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, StoryPageSchema, example=examples.PAGE)
@problems(blp, 406, 422)
def list_stories(limit, cursor, type, actor, date_from, date_to, q):
    """Stories in the order they were formed, newest first. Filter by PLOVER type, global actor
    id, time range (overlap with the story's time) and text. With `Accept: text/csv`, every
    matching story (all pages) as CSV; with `Accept: application/geo+json`, those whose place
    resolves to coordinates as a FeatureCollection."""
    kind = exports.negotiate(exports.JSON, exports.CSV, exports.GEOJSON)

    def fetch(session, after, size):
        return stories.list_stories(session, tenant=tenant(), limit=size, cursor=after, type=type, actor=actor,
                                    date_from=date_from, date_to=date_to, q=q)

    download = exports.export(kind, fetch, "stories", CSV_COLUMNS, _csv_rows, _features)
    if download is not None:
        return download
    session = db().session
    rows, next_cursor = fetch(session, cursor, limit)
    members = stories.reports(session, rows)
    filters = {"limit": limit, "type": type, "actor": actor, "q": q,
               "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat()}
    return json_response({
        "items": [story_body(r, members.get(r.id, [])) for r in rows],
        "next_cursor": next_cursor,
        "next": next_link("stories.list_stories", next_cursor, **filters),
    })


@blp.route("/stories/<string:story_id>", methods=["GET"])
@operation(blp, "get_story", "Read a story with every report of it")
@blp.response(200, StorySchema, example=examples.STORY)
@problems(blp, 404)
def get_story(story_id):
    """Its type, participants, place and time, and every event (article, version, event id,
    evidence sentence) that reports it."""
    session = db().session
    row = stories.get_story(session, story_id, tenant=tenant())
    return json_response(story_body(row, stories.reports(session, [row]).get(row.id, [])))
