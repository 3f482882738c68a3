"""/v1/actors: the people, organisations and states recognised across articles."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import actors, relations
from service.api import operation, problems
from lagebild_core.domain import rfc3339
from service.http import db, json_response, next_link, tenant, version_links
from service.resources.actors import examples
from service.resources.actors.schemas import (
    ActorListArgsSchema,
    ActorRelationsSchema,
    GlobalActorPageSchema,
    GlobalActorSchema,
    RelationArgsSchema,
)

blp = Blueprint("actors", __name__, url_prefix="/v1",
                description="Actors: the same person, organisation or state across articles.")


def actor_body(row) -> dict:
    """The JSON representation of a registry actor without its appearances."""
    return {
        "id": row.id, "kind": row.kind, "name": row.name, "names": list(row.names or []),
        "roles": list(row.roles or []), "country": row.country,
        "created_at": rfc3339(row.created_at), "updated_at": rfc3339(row.updated_at),
        "links": {"self": url_for("actors.get_actor", actor_id=row.id),
                  "quotes": url_for("quotes.list_quotes", actor=row.id),
                  "events": url_for("events.list_events", actor=row.id),
                  "relations": url_for("actors.get_actor_relations", actor_id=row.id)},
    }


def appearance_body(a) -> dict:
    return {
        "article_id": a.article_id, "version": a.version, "local_id": a.local_id, "name": a.name,
        "mention_count": a.mention_count, "quote_count": a.quote_count, "event_count": a.event_count,
        "quotes": list(a.quote_ids or []), "events": list(a.event_ids or []),
        "links": version_links(a.article_id, a.version),
    }


@blp.route("/actors", methods=["GET"])
@operation(blp, "list_actors", "List actors, newest first")
@blp.arguments(ActorListArgsSchema, location="query", as_kwargs=True)
@blp.response(200, GlobalActorPageSchema, example=examples.PAGE)
@problems(blp, 422)
def list_actors(limit, cursor, q, kind, country):
    """Cursor-paginated; search by any spelling of the name, filter by kind and country."""
    rows, next_cursor = actors.list_actors(db().session, tenant=tenant(), limit=limit, cursor=cursor, q=q, kind=kind,
                                           country=country)
    return json_response({
        "items": [actor_body(r) for r in rows],
        "next_cursor": next_cursor,
        "next": next_link("actors.list_actors", next_cursor, limit=limit, q=q, kind=kind, country=country),
    })


@blp.route("/actors/<string:actor_id>", methods=["GET"])
@operation(blp, "get_actor", "Read an actor with the articles, quotes and events it appears in")
@blp.response(200, GlobalActorSchema, example=examples.ACTOR)
@problems(blp, 404)
def get_actor(actor_id):
    """Its names and roles, and every stored version it appears in with its quotes and events."""
    session = db().session
    row = actors.get_actor(session, actor_id, tenant=tenant())
    seen = actors.appearances(session, row.id, tenant=tenant())
    newest: dict[str, object] = {}
    for a in seen:  # newest first: the first one per article is its newest version
        newest.setdefault(a.article_id, a)
    return json_response(actor_body(row) | {
        "article_count": len(newest),
        "quote_count": sum(a.quote_count for a in newest.values()),
        "event_count": sum(a.event_count for a in newest.values()),
        "appearances": [appearance_body(a) for a in seen],
    })


def relation_body(actor_id: str, relation, name: str | None) -> dict:
    """The JSON representation of one relation of `actor_id`."""
    if relation.via == "quote":
        speaker, addressee = (actor_id, relation.other) if relation.direction == "outgoing" else (relation.other, actor_id)
        items = url_for("quotes.list_quotes", actor=speaker, addressee=addressee)
    else:
        items = url_for("events.list_events", actor=actor_id, type=relation.type)
    return {
        "actor": {"id": relation.other, "name": name}, "via": relation.via, "type": relation.type,
        "direction": relation.direction, "count": relation.count,
        "first_published_at": relation.first_published_at and relation.first_published_at.isoformat(),
        "last_published_at": relation.last_published_at and relation.last_published_at.isoformat(),
        "evidence": [{"article_id": e.article_id, "version": e.version, "item_id": e.item_id,
                      "published_at": e.published_at and e.published_at.isoformat(),
                      "links": {"extraction": url_for("extractions.get_extraction", article_id=e.article_id,
                                                      version=str(e.version))}} for e in relation.evidence],
        "links": {"items": items},
    }


@blp.route("/actors/<string:actor_id>/relations", methods=["GET"])
@operation(blp, "get_actor_relations", "List the actors an actor is linked to through events and quotes")
@blp.arguments(RelationArgsSchema, location="query", as_kwargs=True)
@blp.response(200, ActorRelationsSchema, example=examples.RELATIONS)
@problems(blp, 404, 422)
def get_actor_relations(actor_id, limit, via, type):
    """Who acts towards whom (events, by type and direction) and who speaks to whom (quotes, by
    addressee), with counts, the first and last publication date and up to 5 events or quotes
    as evidence; the most frequent first."""
    session = db().session
    row = actors.get_actor(session, actor_id, tenant=tenant())
    found, truncated = relations.relations(session, row.id, tenant=tenant(), limit=limit, via=via, type=type)
    names = actors.names(session, {r.other for r in found}, tenant=tenant())
    return json_response({
        "actor": {"id": row.id, "name": row.name},
        "relations": [relation_body(row.id, r, names.get(r.other)) for r in found],
        "truncated": truncated,
    })
