"""The statements that write a worker's batch in a fixed form (one text whatever the number of
rows: compiled and prepared once) write the same rows as the statements they replaced, which
rendered one VALUES list per batch; on SQLite and PostgreSQL."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from lagebild_core import actors, events, relations, stories
from lagebild_core.store import Database
from lagebild_core.store.events import EventParticipant, EventRecord
from lagebild_core.store.models import Article
from lagebild_core.store.registry import ActorAppearance, ActorNameKey, RegistryActor
from lagebild_core.store.stories import Story
from lagebild_core.store.relations import KEY, RelationCount
from tests.core.test_stories import ARTICLES, BELOUSOV, ZHANG, _document, _event


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def databases(request, tmp_path):
    """Two fresh databases of the parameter's kind: one written the new way, one the former way."""
    if request.param == "sqlite":
        urls = [f"sqlite:///{tmp_path / f'{n}.sqlite3'}" for n in range(2)]
        yield _opened(urls)
        return
    from tests.support.live import private_postgres_database
    generators = [private_postgres_database("lagebild_stmt") for _ in range(2)]
    try:
        yield _opened([next(g) for g in generators])
    finally:
        for generator in generators:
            next(generator, None)


def _opened(urls: list[str]) -> list[Database]:
    found = []
    for url in urls:
        database = Database(url)
        database.upgrade()
        found.append(database)
    return found


def _rows(database: Database, table) -> list[tuple]:
    with database.transaction() as session:
        return [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]


# --- relation counts ------------------------------------------------------------------------

def _former_add(session, delta: Counter) -> None:
    """relations._add before 2026-12-06: the batch's changes as one INSERT with a VALUES list."""
    changes = [dict(zip(KEY, key), count=number) for key, number in sorted(delta.items()) if number]
    if not changes:
        return
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[session.get_bind().dialect.name]
    for begin in range(0, len(changes), 1000):
        upsert = dialect.insert(RelationCount).values(changes[begin:begin + 1000])
        session.execute(upsert.on_conflict_do_update(
            index_elements=list(KEY), set_={"count": RelationCount.count + upsert.excluded.count}))


def _deltas() -> list[Counter]:
    """Batches of count changes: new relations, more of them, some taken back, a large batch."""
    def key(actor, other, via="event", type_="CONSULT", direction="outgoing"):
        return ("t", f"person:{actor}", f"person:{other}", via, type_, direction)
    first = Counter({key("a", "b"): 2, key("b", "a", direction="incoming"): 2, key("a", "c", "quote", ""): 1})
    second = Counter({key("a", "b"): 1, key("c", "d", direction="joint"): 3, key("a", "c", "quote", ""): -1})
    large = Counter({key(f"x{n}", f"y{n % 7}"): 1 + n % 3 for n in range(1200)})
    return [first, second, Counter(), large, Counter({k: -v for k, v in first.items()})]


def test_relation_counts_equal_those_of_one_values_list(databases):
    new, former = databases
    for delta in _deltas():
        with new.transaction() as session:
            relations._add(session, delta)
        with former.transaction() as session:
            _former_add(session, delta)
    table = RelationCount.__table__
    assert _rows(new, table) == _rows(former, table)
    assert len(_rows(new, table)) > 1000


# --- event rows -----------------------------------------------------------------------------

def test_event_rows_numbered_first_equal_those_inserted_with_returning(databases, monkeypatch):
    """PostgreSQL draws a batch's event seqs first and inserts the rows with them: the same rows,
    seqs and participants as the INSERT … RETURNING that SQLite keeps."""
    numbered, returning = databases
    for database, numbers_first in ((numbered, events._numbers_first), (returning, lambda session: False)):
        monkeypatch.setattr(events, "_numbers_first", numbers_first)
        for batch in (["seed", "agency"], ["nextday", "moscow", "april"]):
            with database.transaction() as session:
                for name in batch:
                    session.add(Article(id=name, tenant="t", text="…", text_sha256="0", status="succeeded"))
                session.flush()
                change = events.index_new_events(session, "t", [(name, 1, _document(ARTICLES[name][0], ARTICLES[name][1]()))
                                                                for name in batch])
                assert set(change.fresh) == set(change.seqs)
                change.write(session, {})
    for table in (EventRecord.__table__, EventParticipant.__table__):
        assert _rows(numbered, table) == _rows(returning, table)
    assert len(_rows(numbered, EventRecord.__table__)) == 6


# --- event rows written with their stories ----------------------------------------------------

def _former_regroup(session, changes: list) -> None:
    """Before 2026-12-06: the new event rows inserted without a story, then regrouped by their seqs
    (found by the candidate lookups like any other row) and given their stories by an UPDATE."""
    for change in changes:
        change.write(session, {})
    seqs = list(session.scalars(select(EventRecord.seq).where(EventRecord.story_id.is_(None))
                                .order_by(EventRecord.seq)))
    stories.regroup(session, "t", seqs=seqs, before=[r for c in changes for r in c.before],
                    stale=set().union(*(c.stale for c in changes)))


def test_events_written_with_their_stories_equal_those_inserted_and_then_regrouped(databases):
    """The rows of new events are written once the regroup has decided their stories: the same
    events, participants and stories as inserting them first and regrouping them after, for
    first versions in batches (new events compatible with each other and with stored ones) and
    for a new version replacing an article's events."""
    batches = [["seed"], ["agency", "nextday", "moscow"], ["april"], [("nextday", 2)]]
    for database, regroup in zip(databases, (lambda session, changes: stories.regroup_all(session, "t", changes),
                                             _former_regroup)):
        for batch in batches:
            with database.transaction() as session:
                changes = []
                for item in batch:
                    name, version = item if isinstance(item, tuple) else (item, 1)
                    published, made = ARTICLES[name]
                    if version == 1:
                        session.add(Article(id=name, tenant="t", text="…", text_sha256="0", status="succeeded"))
                        session.flush()
                    events_ = made() if version == 1 else [_event(1, actors=(BELOUSOV, ZHANG), day="2024-10-16")]
                    changes.append(events.index_events(session, "t", name, version, _document(published, events_),
                                                       newest=True, regroup=False, first=version == 1))
                regroup(session, changes)
    for table in (EventRecord.__table__, EventParticipant.__table__):
        assert _rows(databases[0], table) == _rows(databases[1], table)
    found = [_story_rows(database) for database in databases]
    assert found[0] == found[1] and any(row.report_count > 1 for row in found[0])


def _story_rows(database: Database) -> list[tuple]:
    """Every column of the story rows but updated_at, by seq."""
    columns = [c for c in Story.__table__.c if c.name != "updated_at"]
    with database.transaction() as session:
        return list(session.execute(select(*columns).order_by(Story.seq)))


# --- registry rows --------------------------------------------------------------------------

def _actors_document(*actors_):
    return {"actors": [{"id": f"A{n}", "mentions": [], **actor} for n, actor in enumerate(actors_)],
            "events": [], "quotes": []}


RUSSLAND = {"kind": "state", "name": "Russland", "country": "RUS", "roles": []}
UKRAINE = {"kind": "state", "name": "Ukraine", "country": "UKR", "roles": []}
BELOUSOW = {"kind": "person", "name": "Andrej Belousow", "country": None, "roles": ["Verteidigungsminister"]}


def _link_batch(database: Database, batch: list[tuple[str, dict]]) -> actors.Registry:
    """Store the actors of `batch` [(article id, document)] as a worker's batch does; return its registry."""
    with database.transaction() as session:
        for article_id, _ in batch:
            session.add(Article(id=article_id, tenant="t", text="…", text_sha256="0", status="succeeded"))
        session.flush()
        registry = actors.Registry.for_documents(session, "t", [document for _, document in batch])
        for article_id, document in batch:
            actors.link_actors(session, "t", article_id, 1, document, registry)
        registry.save()
    return registry


def test_registry_rows_linking_changes_are_those_the_orm_wrote(databases):
    """A batch's registry (plain rows, Core statements) creates, changes and leaves alone the rows
    as the ORM's objects did (the rows below are those the former code wrote)."""
    database = databases[0]
    batches = [[("a1", _actors_document(RUSSLAND, UKRAINE, BELOUSOW))],
               [("a2", _actors_document({**RUSSLAND, "name": "Russische Föderation"}, UKRAINE)),
                ("a3", _actors_document({**BELOUSOW, "country": "RUS", "roles": ["Minister"]}))]]
    for batch in batches:
        _link_batch(database, batch)
        if len(batch) == 1:
            created = {row[1]: row[-1] for row in _rows(database, RegistryActor.__table__)}
    rows = _rows(database, RegistryActor.__table__)
    assert [row[1:-2] for row in rows] == [
        ("state:RUS", "t", "state", "Russische Föderation", ["Russland", "Russische Föderation"], [], "RUS",
         "|russland|russische foederation|"),
        ("state:UKR", "t", "state", "Ukraine", ["Ukraine"], [], "UKR", "|ukraine|"),
        ("person:andrej-beloussow", "t", "person", "Andrej Belousow", ["Andrej Belousow"],
         ["Verteidigungsminister", "Minister"], "RUS", "|andrej belousow|")]
    updated = {row[1]: row[-1] for row in rows}
    assert updated["state:UKR"] == created["state:UKR"] and updated["state:RUS"] > created["state:RUS"]
    assert [row[1:-1] for row in _rows(database, ActorAppearance.__table__)] == [
        ("t", actor, article, 1, local, name, 0, 0, 0, [], []) for article, actor, local, name in (
            ("a1", "state:RUS", "A0", "Russland"), ("a1", "state:UKR", "A1", "Ukraine"),
            ("a1", "person:andrej-beloussow", "A2", "Andrej Belousow"),
            ("a2", "state:RUS", "A0", "Russische Föderation"), ("a2", "state:UKR", "A1", "Ukraine"),
            ("a3", "person:andrej-beloussow", "A0", "Andrej Belousow"))]


def test_persons_are_found_by_the_keys_of_their_names_and_only_those_are_read(databases):
    """A person is linked to the registry row whose name has its skeleton, though no beginning of
    a name word is the same ("Yuri Sarenko" / "Jurij Zarenko"), and a row that shares only a first
    name is not read; the keys of the persons' names are written with the rows."""
    database = databases[0]
    sarenko = {"kind": "person", "name": "Jurij Zarenko", "country": None, "roles": []}
    petrow = {"kind": "person", "name": "Yuri Petrow", "country": None, "roles": []}
    _link_batch(database, [("a1", _actors_document(sarenko, petrow))])
    registry = _link_batch(database, [("a2", _actors_document({**sarenko, "name": "Yuri Sarenko"}))])
    assert set(registry.rows) == {"person:jurij-zarenko"}  # not the other Yuri
    assert registry.rows["person:jurij-zarenko"].names == ["Jurij Zarenko", "Yuri Sarenko"]
    assert [row[1:] for row in _rows(database, ActorAppearance.__table__) if row[3] == "a2"][0][:3] == \
        ("t", "person:jurij-zarenko", "a2")
    keys = {(key, actor) for _, key, actor in _rows(database, ActorNameKey.__table__)}
    assert {("full:yury sarenko", "person:jurij-zarenko"), ("short:petrov", "person:yuri-petrow")} <= keys
    assert sorted(actor for key, actor in keys if key == "short:sarenko") == ["person:jurij-zarenko"]


# --- appearance rows ------------------------------------------------------------------------

def test_appearance_rows_from_arrays_equal_those_inserted_row_by_row(databases):
    """PostgreSQL inserts a batch's appearances by one statement over arrays (unnest): the same rows,
    in the same order, with the JSON lists as SQLAlchemy writes them, as the INSERT executed for
    each row that SQLite keeps."""
    from sqlalchemy import cast, insert
    from sqlalchemy.types import Text
    from lagebild_core.store.models import utcnow
    now = utcnow()
    rows = [{"tenant": "t", "actor_id": f"person:p{n % 3}", "article_id": "a", "version": 1 + n // 4,
             "local_id": f"A{n}", "name": "Zhang Ü" if n % 2 else "x" * 600, "mention_count": n,
             "quote_count": len(ids := [f"Q{k}" for k in range(n % 3)]), "event_count": n % 2,
             "quote_ids": ids, "event_ids": ["E1"] if n % 2 else []} for n in range(9)]
    for database, write in ((databases[0], actors._insert_appearances),
                            (databases[1], lambda session, rows, now: session.execute(
                                insert(ActorAppearance.__table__), [{**row, "created_at": now} for row in rows]))):
        with database.transaction() as session:
            session.add(Article(id="a", tenant="t", text="…", text_sha256="0", status="succeeded"))
            session.add_all(RegistryActor(id=f"person:p{n}", tenant="t", kind="person", name="p") for n in range(3))
            session.flush()
            write(session, rows[:4], now)
            write(session, rows[4:], now)
    table = ActorAppearance.__table__
    assert _rows(databases[0], table) == _rows(databases[1], table) and len(_rows(databases[0], table)) == 9
    as_text = select(cast(table.c.quote_ids, Text), cast(table.c.event_ids, Text)).order_by(table.c.seq)
    texts = []
    for database in databases:
        with database.transaction() as session:
            texts.append(session.execute(as_text).all())
    assert texts[0] == texts[1]
