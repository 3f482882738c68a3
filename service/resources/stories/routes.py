"""/v1/stories: one happening, however many articles report it."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import stories
from lagebild_core.domain import rfc3339
from service.api import operation, problems
from service.http import db, json_response, next_link, tenant
from service.resources.stories import examples
from service.resources.stories.schemas import (
    StoryListArgsSchema,
    StoryPageSchema,
    StorySchema,
)

blp = Blueprint("stories", __name__, url_prefix="/v1",
                description="Stories: the events of different articles that report one happening.")


def report_body(record) -> dict:
    event = record.event or {}
    return {
        "article_id": record.article_id, "version": record.version, "event_id": record.event_id,
        "published_at": record.published_at and record.published_at.isoformat(),
        "mode": record.mode, "modality": record.modality, "time": event.get("time"), "evidence": event["evidence"],
        "links": {"article": url_for("articles.get_article", article_id=record.article_id),
                  "extraction": url_for("extractions.get_extraction", article_id=record.article_id,
                                        version=str(record.version))},
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


@blp.route("/stories", methods=["GET"])
@operation(blp, "list_stories", "List stories across articles, newest first")
@blp.arguments(StoryListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, StoryPageSchema, example=examples.PAGE)
@problems(blp, 422)
def list_stories(limit, cursor, type, actor, date_from, date_to, q):
    """Stories in the order they were formed, newest first. Filter by PLOVER type, global actor
    id, time range (overlap with the story's time) and text."""
    session = db().session
    rows, next_cursor = stories.list_stories(session, tenant=tenant(), limit=limit, cursor=cursor, type=type,
                                             actor=actor, date_from=date_from, date_to=date_to, q=q)
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
