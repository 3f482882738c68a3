"""The statements that write a worker's batch in a fixed form (one text whatever the number of
rows: compiled and prepared once) write the same rows as the statements they replaced, which
rendered one VALUES list per batch; on SQLite and PostgreSQL."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from lagebild_core import relations
from lagebild_core.store import Database
from lagebild_core.store.relations import KEY, RelationCount


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
