"""Actors across articles: linking an extraction's actors to the global registry, and queries.

`link_actors` runs inside the transaction that stores an extraction version: every actor of the
document is matched against the registry (lagebild_core.registry decides), an entry is
created when it is new, the document's `global_id`s are set to the entries' ids, and one
appearance per actor records the version's counts of mentions, quotes and events.
"""
from __future__ import annotations

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from lagebild_core.exceptions import NotFound
from lagebild_core.pagination import decode_cursor, page
from lagebild_core.store.models import Article, Extraction, utcnow
from lagebild_core.store.registry import ActorAppearance, ActorNameKey, RegistryActor
from lagebild_core import registry
from lagebild_core.text_search import contains, escape_like

KINDS = ("person", "organization", "state", "location", "group", "other")


class _Actor:
    """A registry row as linking reads and changes it: plain attributes, not the ORM's object
    (loading and creating hundreds of those per batch, and flushing their changes in one UPDATE
    per set of changed columns, cost more than the linking). `seq` is None for a row that linking
    creates."""

    __slots__ = ("seq", "id", "tenant", "kind", "name", "names", "roles", "country", "search")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


def _record(row: _Actor) -> registry.Entry:
    """Return a registry row as the plain record that lagebild_core.registry matches against."""
    return {"key": row.id, "kind": row.kind, "name": row.name, "names": list(row.names or [row.name]),
            "country": row.country, "roles": list(row.roles or [])}


def _search_text(names: list[str]) -> str:
    return "|" + "|".join(registry.ascii_fold(n) for n in names) + "|"


class Registry:
    """The tenant's registry rows that the actors of one document, or of a worker's batch of
    documents, may be, read in two queries before linking (not one or two per actor), and the rows
    linking creates: a later actor, of the same document or a later one, can match those. The
    new rows, the changes and the appearances are written once, by `save`.

    Persons are found by the keys of their names (registry.person_keys, table actor_name_keys):
    only the rows an actor can match are read, and an actor's candidates are looked up by its keys
    (`by_key`), so the cost does not grow with the registry."""

    def __init__(self, session: Session, tenant: str, actors: list[dict]):
        self.session, self.tenant = session, tenant
        self.rows: dict[str, _Actor] = {}
        self.by_key: dict[str, set[str]] = {}  # person key -> ids of the rows that have it
        self.created: list[str] = []  # in the order of linking, which is the order of their `seq`
        self.changed: dict[str, _Actor] = {}  # existing rows that linking changed
        self.appearances: list[dict] = []
        ids = {_base_key(a) for a in actors}
        # the persons' ids by their keys first, then every row by its id: two lookups by index, each
        # planned well before PostgreSQL has statistics of a new tenant's tables (a subquery joined
        # into the load became a nested loop over every row of both: 400 ms at 1,300 actors)
        keys = sorted({key for a in actors if a.get("kind") == "person" for key in registry.person_lookup_keys(a)})
        for begin in range(0, len(keys), 500):
            ids.update(session.scalars(select(ActorNameKey.actor_id).where(
                ActorNameKey.tenant == tenant, ActorNameKey.key.in_(keys[begin:begin + 500]))))
        ordered = sorted(ids)
        for begin in range(0, len(ordered), 500):
            self._add(_LOADED.where(RegistryActor.tenant == tenant, RegistryActor.id.in_(ordered[begin:begin + 500])))

    @classmethod
    def for_documents(cls, session: Session, tenant: str, documents: list[dict]) -> "Registry":
        """The rows the actors of all `documents` may be."""
        return cls(session, tenant, [actor for document in documents for actor in document.get("actors") or []])

    def save(self) -> None:
        """Write the new rows, the changed rows, the keys of new and changed persons and the
        appearances (one statement each)."""
        now = utcnow()
        persons = [self.rows[key] for key in self.created if self.rows[key].kind == "person"] + \
            [row for row in self.changed.values() if row.kind == "person"]
        if self.created:
            self.session.execute(insert(RegistryActor.__table__), [
                {column: getattr(self.rows[key], column) for column in _COLUMNS} | {"created_at": now, "updated_at": now}
                for key in self.created])
            self.created = []
        if self.changed:  # in the order of `seq`, as the ORM's flush wrote them (workers lock rows alike)
            self.session.execute(_UPDATE, [
                {"b_tenant": self.tenant, "b_id": row.id, **{column: getattr(row, column) for column in _CHANGEABLE},
                 "updated_at": now} for row in sorted(self.changed.values(), key=lambda r: r.seq)])
            self.changed = {}
        if persons:  # a changed person keeps its keys and may gain some: those it has are left alone
            self.session.execute(_insert_ignoring_duplicates(self.session, ActorNameKey.__table__), [
                {"tenant": self.tenant, "key": key, "actor_id": row.id}
                for row in persons for key in sorted(registry.person_keys(_record(row)))])
        self.session.flush()
        if self.appearances:
            _insert_appearances(self.session, self.appearances, now)
            self.appearances = []

    def _add(self, query) -> None:
        for row in self.session.execute(query):
            self._index(_Actor(tenant=self.tenant, **row._mapping))

    def _index(self, row: _Actor) -> None:
        """Keep `row` (new, loaded or changed), under the keys of its names if it is a person."""
        self.rows[row.id] = row
        if row.kind == "person":
            for key in registry.person_keys(_record(row)):
                self.by_key.setdefault(key, set()).add(row.id)

    def candidates(self, actor: dict) -> list[_Actor]:
        """The rows that could be this actor: same key, or persons sharing a key of their names."""
        if actor.get("kind") != "person":
            key = registry.canonical_key(actor)
            return [self.rows[key]] if key in self.rows else []
        found = set().union(*(self.by_key.get(key, ()) for key in registry.person_lookup_keys(actor)))
        return [self.rows[row_id] for row_id in sorted(found)]

    def taken_keys(self, base: str) -> set[str]:
        """The keys starting with `base` that are taken (only asked of the database when `base` is)."""
        if base not in self.rows:
            return set()
        return set(self.created) | set(self.session.scalars(select(RegistryActor.id).where(
            RegistryActor.tenant == self.tenant, RegistryActor.id.like(f"{escape_like(base)}%", escape="\\"))))

    def link(self, actor: dict) -> _Actor:
        """Return the registry row for one document actor, matched or newly created, updated with
        what the actor adds (spellings, roles, country)."""
        rows = self.candidates(actor)
        found = registry.match(actor, [_record(r) for r in rows])
        if found is None:
            key = registry.new_key(actor, self.taken_keys(_base_key(actor)))
            name = actor.get("name") or key
            # not in the session: inserted by `save` with what later actors of the document add
            row = _Actor(id=key, tenant=self.tenant, kind=actor.get("kind") or "other", name=name,
                         names=[name], roles=list(actor.get("roles") or [])[:20],
                         country=actor.get("country"), search=_search_text([name]))
            self._index(row)
            self.created.append(key)
            return row
        row = next(r for r in rows if r.id == found["key"])
        updated = registry.merged(found, actor)
        changes = {"name": updated["name"], "names": updated["names"], "roles": updated["roles"],
                   "country": updated["country"], "search": _search_text(updated["names"])}
        spellings = row.names, row.name
        for column, value in changes.items():
            if getattr(row, column) != value:  # an unchanged row is not written again
                setattr(row, column, value)
                if row.seq is not None:  # a row created here is inserted with what it has by then
                    self.changed[row.id] = row
        if (row.names, row.name) != spellings:
            self._index(row)  # the keys of the spellings it gained
        return row


_COLUMNS = ("id", "tenant", "kind", "name", "names", "roles", "country", "search")
_CHANGEABLE = ("name", "names", "roles", "country", "search")  # what linking changes (Registry.link)
_LOADED = select(*(getattr(RegistryActor, column) for column in ("seq", "id", "kind", "name", "names", "roles",
                                                                  "country", "search")))
_UPDATE = update(RegistryActor.__table__).where(RegistryActor.__table__.c.tenant == bindparam("b_tenant"),
                                                RegistryActor.__table__.c.id == bindparam("b_id"))


def _insert_ignoring_duplicates(session: Session, table):
    """INSERT that skips rows whose primary key exists (both dialects say it alike)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing()


def _base_key(actor: dict) -> str:
    return registry.canonical_key(actor) or registry.new_key(actor, set())


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


def link_actors(session: Session, tenant: str, article_id: str, version: int, document: dict,
                registry: Registry | None = None) -> dict:
    """Assign global ids to the document's actors (creating registry entries for new ones) and
    record their appearances in this version; return the document with `global_id`s set.

    With a `registry` shared by a batch of documents (Registry.for_documents), the writes wait for
    its `save`, which the caller runs once after linking them all."""
    quotes, events = _counts(document)
    found = registry or Registry(session, tenant, document.get("actors") or [])
    linked, appearances = {}, found.appearances
    # one order for every worker (by key), so that concurrent versions lock registry rows alike
    for actor in sorted(document.get("actors") or [], key=lambda a: (a.get("global_id") or "", a["id"])):
        row = found.link(actor)
        linked[actor["id"]] = row.id
        appearances.append({
            "tenant": tenant, "actor_id": row.id, "article_id": article_id, "version": version,
            "local_id": actor["id"], "name": actor.get("name") or row.name,
            "mention_count": len(actor.get("mentions") or []), "quote_count": len(quotes.get(actor["id"], [])),
            "event_count": len(events.get(actor["id"], [])), "quote_ids": quotes.get(actor["id"], []),
            "event_ids": events.get(actor["id"], [])})
    if registry is None:
        found.save()
    actors = [{**actor, "global_id": linked[actor["id"]]} for actor in document.get("actors") or []]
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


_APPEARANCE_ARRAYS = {"tenant": "varchar[]", "actor_id": "varchar[]", "article_id": "varchar[]", "version": "int[]",
                      "local_id": "varchar[]", "name": "text[]", "mention_count": "int[]", "quote_count": "int[]",
                      "event_count": "int[]", "quote_ids": "json[]", "event_ids": "json[]"}
_APPEARANCES_FROM_ARRAYS = text(
    f"INSERT INTO actor_appearances ({', '.join(_APPEARANCE_ARRAYS)}, created_at) "
    f"SELECT *, CAST(:created_at AS timestamptz) FROM unnest("
    + ", ".join(f"CAST(:{column} AS {kind})" for column, kind in _APPEARANCE_ARRAYS.items()) + ")")


def _insert_appearances(session: Session, rows: list[dict], now) -> None:
    """Insert appearance rows (the table, not the entity: the ORM's bulk insert cost twice the Core's).

    PostgreSQL: one statement that takes each column as an array (unnest), executed once: an
    INSERT executed for each row ran the executor once per row, the largest statement of storing
    a batch (15 rows per article, 0.7-0.9 ms of PostgreSQL CPU per article). The JSON columns go
    through psycopg's Json, as SQLAlchemy sends them; `now` is every row's created_at."""
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(ActorAppearance.__table__), [{**row, "created_at": now} for row in rows])
        return
    from psycopg.types.json import Json
    arrays = {column: [row[column] for row in rows] for column in _APPEARANCE_ARRAYS}
    for column in ("quote_ids", "event_ids"):
        arrays[column] = [Json(value) for value in arrays[column]]
    session.execute(_APPEARANCES_FROM_ARRAYS, {**arrays, "created_at": now})


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
