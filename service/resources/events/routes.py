"""/v1/events: the events of every article's latest extraction, filtered and paginated."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import events
from service.api import operation, problems
from service.http import db, json_response, next_link, tenant
from service.resources.events import examples
from service.resources.events.schemas import EventListArgsSchema, EventPageSchema

blp = Blueprint("events", __name__, url_prefix="/v1",
                description="Events across articles: who did what to whom, where and when (PLOVER).")


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
        "links": {
            "article": url_for("articles.get_article", article_id=record.article_id),
            "extraction": url_for("extractions.get_extraction", article_id=record.article_id,
                                  version=str(record.version)),
            "story": record.story_id and url_for("stories.get_story", story_id=record.story_id),
        },
    }


@blp.route("/events", methods=["GET"])
@operation(blp, "list_events", "List events across articles, newest first")
@blp.arguments(EventListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, EventPageSchema, example=examples.PAGE)
@problems(blp, 422)
def list_events(limit, cursor, type, actor, country, date_from, date_to, modality, story):
    """The events of each article's latest extraction. Filter by PLOVER type, global actor id,
    country, time range (overlap with the event's normalised time), modality and story."""
    session = db().session
    records, next_cursor = events.list_events(
        session, tenant=tenant(), limit=limit, cursor=cursor, type=type, actor=actor, country=country,
        date_from=date_from, date_to=date_to, modality=modality, story=story)
    people = events.participants(session, records)
    filters = {"limit": limit, "type": type, "actor": actor, "country": country, "modality": modality, "story": story,
               "from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat()}
    return json_response({
        "items": [event_body(r, people.get(r.seq, [])) for r in records],
        "next_cursor": next_cursor,
        "next": next_link("events.list_events", next_cursor, **filters),
    })
