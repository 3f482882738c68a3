"""/v1/actors: the people, organisations and states recognised across articles."""
from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from lagebild_core import actors
from service.api import operation, problems
from lagebild_core.domain import rfc3339
from service.http import db, json_response, next_link, tenant
from service.resources.actors import examples
from service.resources.actors.schemas import ActorListArgsSchema, GlobalActorPageSchema, GlobalActorSchema

blp = Blueprint("actors", __name__, url_prefix="/v1",
                description="Actors: the same person, organisation or state across articles.")


def actor_body(row) -> dict:
    """The JSON representation of a registry actor without its appearances."""
    return {
        "id": row.id, "kind": row.kind, "name": row.name, "names": list(row.names or []),
        "roles": list(row.roles or []), "country": row.country,
        "created_at": rfc3339(row.created_at), "updated_at": rfc3339(row.updated_at),
        "links": {"self": url_for("actors.get_actor", actor_id=row.id)},
    }


def appearance_body(a) -> dict:
    return {
        "article_id": a.article_id, "version": a.version, "local_id": a.local_id, "name": a.name,
        "mention_count": a.mention_count, "quote_count": a.quote_count, "event_count": a.event_count,
        "quotes": list(a.quote_ids or []), "events": list(a.event_ids or []),
        "links": {"article": url_for("articles.get_article", article_id=a.article_id),
                  "extraction": url_for("extractions.get_extraction", article_id=a.article_id,
                                        version=a.version)},
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
