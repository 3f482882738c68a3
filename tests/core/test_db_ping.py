"""The pool pings a PostgreSQL connection only after it was idle (lagebild_core/store/db.py)."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from lagebild_core.store import db

pytestmark = pytest.mark.integration


@pytest.fixture
def url():
    from tests.support.live import private_postgres_database
    databases = private_postgres_database("lagebild_ping")
    yield next(databases)
    next(databases, None)


def _backend(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(pid: int) -> None:
    from tests.support.live import PG_ADMIN
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_an_idle_connection_that_died_is_replaced_before_use(url, monkeypatch):
    monkeypatch.setattr(db, "PING_IDLE_SECONDS", 0.0)
    engine = db.make_engine(url)
    try:
        dead = _backend(engine)
        _terminate(dead)
        assert _backend(engine) != dead  # the ping failed; a new connection served the request
    finally:
        engine.dispose()


def test_a_connection_that_died_while_in_use_fails_once_then_the_pool_heals(url):
    engine = db.make_engine(url)
    try:
        dead = _backend(engine)
        _terminate(dead)
        with pytest.raises(OperationalError):  # used again within PING_IDLE_SECONDS: no ping
            _backend(engine)
        assert _backend(engine) != dead
    finally:
        engine.dispose()
