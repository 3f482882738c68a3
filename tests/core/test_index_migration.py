"""Migration 0011 drops the indexes of the written tables that are the first column of another
index of theirs, 0012 compresses new extraction documents with lz4 (PostgreSQL), 0013 gives the
registry's persons their name keys; their downgrades undo them, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from lagebild_core.store.db import alembic_config

DROPPED = {"events": {"ix_events_tenant"}, "quotes": {"ix_quotes_tenant"},
           "stories": {"ix_stories_tenant", "ix_stories_id"}, "actors": {"ix_actors_tenant", "ix_actors_id"}}
# what answers the queries instead: an index (or unique constraint) that begins with the tenant
COVERING = {"events": ("tenant", "seq"), "quotes": ("tenant", "seq"), "stories": ("tenant", "id"),
            "actors": ("tenant", "id")}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    from tests.support.live import private_postgres_database
    generator = private_postgres_database("lagebild_ix")
    yield next(generator)
    next(generator, None)


def _indexes(url: str) -> dict[str, dict[str, tuple]]:
    """{table: {index or unique constraint: its columns}} of the tables of DROPPED."""
    engine = create_engine(url)
    try:
        found = {}
        inspector = inspect(engine)
        for table in DROPPED:
            found[table] = {i["name"]: tuple(i["column_names"]) for i in inspector.get_indexes(table)}
            found[table].update({u["name"]: tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)})
        return found
    finally:
        engine.dispose()


def test_migration_0011_drops_the_indexes_another_one_begins_with_and_its_downgrade_makes_them(url):
    command.upgrade(alembic_config(url), "head")
    for table, indexes in _indexes(url).items():
        assert not DROPPED[table] & set(indexes)
        assert COVERING[table] in indexes.values()
    command.downgrade(alembic_config(url), "0010")
    for table, indexes in _indexes(url).items():
        assert DROPPED[table] <= set(indexes)
    command.upgrade(alembic_config(url), "head")
    assert all(not DROPPED[table] & set(indexes) for table, indexes in _indexes(url).items())


def _document_compression(url: str) -> str | None:
    """The compression set for extractions.document: 'l' (lz4), 'p' (pglz), '' (the default); None on SQLite."""
    engine = create_engine(url)
    try:
        if engine.dialect.name != "postgresql":
            return None
        with engine.connect() as connection:
            return connection.execute(text(
                "SELECT attcompression FROM pg_attribute "
                "WHERE attrelid = 'extractions'::regclass AND attname = 'document'")).scalar()
    finally:
        engine.dispose()


def test_migration_0012_compresses_new_documents_with_lz4_and_its_downgrade_with_pglz(url):
    """Stored documents stay readable whatever the setting (PostgreSQL decompresses each value by its own method)."""
    command.upgrade(alembic_config(url), "head")
    postgresql = url.startswith("postgresql")
    assert _document_compression(url) == ("l" if postgresql else None)
    command.downgrade(alembic_config(url), "0011")
    assert _document_compression(url) == ("p" if postgresql else None)
    command.upgrade(alembic_config(url), "head")
    assert _document_compression(url) == ("l" if postgresql else None)


def test_migration_0013_gives_the_persons_already_stored_their_name_keys(url):
    """The keys of every stored person (and only of persons), computed as linking computes them."""
    from lagebild_core.registry import person_keys
    command.upgrade(alembic_config(url), "0012")
    engine = create_engine(url)
    persons = [("t1", "person:jurij-zarenko", "Jurij Zarenko", ["Jurij Zarenko", "Yuri Sarenko"]),
               ("t2", "person:zhang-youxia", "Zhang Youxia", ["Zhang Youxia"])]
    try:
        with engine.begin() as connection:
            for tenant, actor, name, names in [*persons, ("t1", "state:RUS", "Russland", ["Russland"])]:
                connection.execute(text(
                    "INSERT INTO actors (id, tenant, kind, name, names, roles, search, created_at, updated_at) "
                    "VALUES (:id, :tenant, :kind, :name, :names, '[]', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                    {"id": actor, "tenant": tenant, "kind": actor.split(":")[0], "name": name, "names": json.dumps(names)})
        command.upgrade(alembic_config(url), "head")
        with engine.connect() as connection:
            keys = set(map(tuple, connection.execute(text("SELECT tenant, key, actor_id FROM actor_name_keys"))))
        assert keys == {(tenant, key, actor) for tenant, actor, name, names in persons
                        for key in person_keys({"name": name, "names": names})}
        assert ("t1", "short:sarenko", "person:jurij-zarenko") in keys
        command.downgrade(alembic_config(url), "0012")
        assert "actor_name_keys" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()
