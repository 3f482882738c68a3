"""Actors across articles: linking an extraction's actors to the global registry, and queries.

`link_actors` runs inside the transaction that stores an extraction version: every actor of the
document is matched against the registry (lagebild_core.registry decides), an entry is
created when it is new, the document's `global_id`s are set to the entries' ids, and one
appearance per actor records the version's counts of mentions, quotes and events.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lagebild_core.exceptions import NotFound
from lagebild_core.pagination import decode_cursor, page
from lagebild_core.store.models import Article, Extraction
from lagebild_core.store.registry import ActorAppearance, RegistryActor
from lagebild_core import registry
from lagebild_core.text_search import contains, escape_like

KINDS = ("person", "organization", "state", "location", "group", "other")


def _record(row: RegistryActor) -> registry.Entry:
    """Return a registry row as the plain record that lagebild_core.registry matches against."""
    return {"key": row.id, "kind": row.kind, "name": row.name, "names": list(row.names or [row.name]),
            "country": row.country, "roles": list(row.roles or [])}


def _search_text(names: list[str]) -> str:
    return "|" + "|".join(registry.ascii_fold(n) for n in names) + "|"


def _candidates(session: Session, tenant: str, actor: dict) -> list[RegistryActor]:
    """Return the tenant's registry rows that could be this actor: same key, or persons sharing a name word."""
    kind = actor.get("kind")
    key = registry.canonical_key(actor)
    if kind != "person":
        return list(session.scalars(select(RegistryActor).where(
            RegistryActor.tenant == tenant, RegistryActor.id == key))) if key else []
    words = [registry.ascii_fold(w) for w in (actor.get("name") or "").split() if len(w) > 1]
    if not words:
        return []
    last = registry.short_form(actor["name"]) or actor["name"]
    probe = registry.ascii_fold(last)[:4]
    query = select(RegistryActor).where(RegistryActor.tenant == tenant, RegistryActor.kind == "person",
                                        or_(RegistryActor.search.like(f"%{probe}%"),
                                            *[RegistryActor.search.like(f"%{w[:4]}%") for w in words]))
    return list(session.scalars(query.limit(200)))


def _taken_keys(session: Session, tenant: str, base: str) -> set[str]:
    return set(session.scalars(select(RegistryActor.id).where(
        RegistryActor.tenant == tenant, RegistryActor.id.like(f"{escape_like(base)}%", escape="\\"))))


def _counts(document: dict) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return {local actor id: quote ids} and {local actor id: event ids} of a document."""
    quotes: dict[str, list[str]] = {}
    for q in document.get("quotes") or []:
        for local in {(q.get("speaker") or {}).get("actor"), q.get("addressee")} - {None}:
            quotes.setdefault(local, []).append(q["id"])
    events: dict[str, list[str]] = {}
    for e in document.get("events") or []:
        locals_ = set(e.get("source") or []) | set(e.get("target") or [])
        if (e.get("location") or {}).get("actor"):
            locals_.add(e["location"]["actor"])
        for local in locals_:
            events.setdefault(local, []).append(e["id"])
    return quotes, events


def link_actor(session: Session, tenant: str, actor: dict) -> RegistryActor:
    """Return the tenant's registry row for one document actor, matched or newly created, updated
    with what the actor adds (spellings, roles, country)."""
    rows = _candidates(session, tenant, actor)
    found = registry.match(actor, [_record(r) for r in rows])
    if found is None:
        base = registry.canonical_key(actor) or registry.new_key(actor, set())
        key = registry.new_key(actor, _taken_keys(session, tenant, base))
        row = RegistryActor(id=key, tenant=tenant, kind=actor.get("kind") or "other", name=actor.get("name") or key,
                            names=[actor.get("name") or key], roles=list(actor.get("roles") or [])[:20],
                            country=actor.get("country"), search=_search_text([actor.get("name") or key]))
        session.add(row)
        session.flush()
        return row
    row = next(r for r in rows if r.id == found["key"])
    updated = registry.merged(found, actor)
    row.name, row.names, row.roles = updated["name"], updated["names"], updated["roles"]
    row.country = updated["country"]
    row.search = _search_text(updated["names"])
    return row


def link_actors(session: Session, tenant: str, article_id: str, version: int, document: dict) -> dict:
    """Assign global ids to the document's actors (creating registry entries for new ones) and
    record their appearances in this version; return the document with `global_id`s set."""
    quotes, events = _counts(document)
    linked = {}
    # one order for every worker (by key), so that concurrent versions lock registry rows alike
    for actor in sorted(document.get("actors") or [], key=lambda a: (a.get("global_id") or "", a["id"])):
        row = link_actor(session, tenant, actor)
        linked[actor["id"]] = row
        session.add(ActorAppearance(
            tenant=tenant, actor_id=row.id, article_id=article_id, version=version, local_id=actor["id"],
            name=actor.get("name") or row.name, mention_count=len(actor.get("mentions") or []),
            quote_count=len(quotes.get(actor["id"], [])), event_count=len(events.get(actor["id"], [])),
            quote_ids=quotes.get(actor["id"], []), event_ids=events.get(actor["id"], [])))
    session.flush()
    actors = [{**actor, "global_id": linked[actor["id"]].id} for actor in document.get("actors") or []]
    return {**document, "actors": actors}


def list_actors(session: Session, *, tenant: str, limit: int, cursor: str | None = None, q: str | None = None,
                kind: str | None = None, country: str | None = None) -> tuple[list[RegistryActor], str | None]:
    """Return one page of registry actors, newest first, and the cursor of the next page (or None).

    `q` matches any spelling of the name, case- and accent-insensitively ("belousov", "Peking").
    """
    query = select(RegistryActor).where(RegistryActor.tenant == tenant).order_by(RegistryActor.seq.desc()).limit(limit + 1)
    if cursor:
        query = query.where(RegistryActor.seq < decode_cursor(cursor))
    if q:
        query = query.where(RegistryActor.search.like(contains(q), escape="\\"))
    if kind:
        query = query.where(RegistryActor.kind == kind)
    if country:
        query = query.where(RegistryActor.country == country.upper())
    rows = list(session.scalars(query))
    return page(rows, limit, lambda a: a.seq)


def get_actor(session: Session, actor_id: str, *, tenant: str) -> RegistryActor:
    """Return the tenant's registry actor with this id, or raise NotFound."""
    row = session.scalar(select(RegistryActor).where(RegistryActor.tenant == tenant, RegistryActor.id == actor_id))
    if row is None:
        raise NotFound(f"No actor with id {actor_id!r}.")
    return row


def appearances(session: Session, actor_id: str, *, tenant: str, limit: int = 200) -> list[ActorAppearance]:
    """Return the actor's appearances in stored versions of existing articles, newest first."""
    query = (select(ActorAppearance)
             .join(Article, Article.id == ActorAppearance.article_id)
             .join(Extraction, (Extraction.article_id == ActorAppearance.article_id)
                   & (Extraction.version == ActorAppearance.version))
             .where(ActorAppearance.tenant == tenant, ActorAppearance.actor_id == actor_id)
             .order_by(ActorAppearance.seq.desc()).limit(limit))
    return list(session.scalars(query))


def names(session: Session, ids: set[str | None], *, tenant: str) -> dict[str, str]:
    """Return {global id: registry name} of the tenant's actors with these ids (None is skipped)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(RegistryActor.id, RegistryActor.name).where(
        RegistryActor.tenant == tenant, RegistryActor.id.in_(ids))).all())
