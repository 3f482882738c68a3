"""Engine and sessions, for the API (one session per request) and the workers."""
from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, exc, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
# A pooled PostgreSQL connection is pinged before use only when it has been idle this long. A
# ping on every checkout (`pool_pre_ping`) was a round trip per request: about 0.1 of the API's
# 6.6 CPU ms per POST and 3.1 per GET. A connection that died within the idle time (the server
# restarted in under a second, or a backend was terminated) fails its request instead: SQLAlchemy
# sees the disconnect, the request is a 503 (service.errors) and every connection of the pool
# from before it is replaced on its next checkout.
PING_IDLE_SECONDS = 1.0


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the API read while a worker writes; the busy timeout waits out short locks
    # instead of failing; SQLite enforces foreign keys only when asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Return an engine for `url`, with SQLite tuned for several processes."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_size=5, max_overflow=5)
    ping_when_idle(engine, PING_IDLE_SECONDS)
    return engine


def ping_when_idle(engine: Engine, seconds: float) -> None:
    """Make `engine`'s pool ping a connection on checkout when it was checked in more than
    `seconds` ago, replacing every pooled connection when the ping fails (as `pool_pre_ping` does
    on every checkout). A new connection is not pinged: it was just opened."""
    @event.listens_for(engine, "checkin")
    def _idle_since(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")  # gone with the DBAPI connection (closed, invalidated)
        if idle_since is None or time.monotonic() - idle_since <= seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.InvalidatePoolError() from error


REHEARSAL_TENANT = "lagebild-warm-up"  # never a real tenant's name: nothing of a rehearsal is committed anyway


class Database:
    """An engine and its session factory; `init_app` gives Flask one session per request."""

    def __init__(self, url: str | None = None):
        self.engine: Engine | None = None
        self.sessions: sessionmaker[Session] | None = None
        if url:
            self.configure(url)

    def configure(self, url: str) -> None:
        if self.engine is not None:
            self.engine.dispose()
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def init_app(self, app) -> None:
        self.configure(app.config["LAGEBILD"].effective_database_url)
        app.extensions["lagebild_db"] = self

        @app.teardown_appcontext
        def _close_session(_exc):
            self.release()

    def release(self) -> None:
        """Close the current request's session, if it has one (its connection goes back to the pool)."""
        from flask import g
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    @property
    def session(self) -> Session:
        """The current request's session (Flask), created on first use."""
        from flask import g
        if "db_session" not in g:
            g.db_session = self.sessions()
        return g.db_session

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back on an exception."""
        with self.sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def rehearsal(self) -> Iterator[Session]:
        """A session whose transaction is always rolled back: the warm-ups (workers/warm_up.py,
        service/warm_up.py) run real statements through it, under REHEARSAL_TENANT, and keep nothing."""
        with self.sessions() as session:
            session.begin()
            try:
                yield session
            finally:
                session.rollback()

    @contextlib.contextmanager
    def autocommit(self) -> Iterator[Connection]:
        """A connection in autocommit, for a request's one read statement: one round trip, where a
        session's sends BEGIN before it and ROLLBACK when it goes back to the pool."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection

    def ping(self) -> None:
        """Raise if the database does not answer."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def upgrade(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from alembic import command
        command.upgrade(alembic_config(str(self.engine.url.render_as_string(hide_password=False))), "head")


def alembic_config(url: str):
    """Return an Alembic configuration for `url` using this package's migrations."""
    from alembic.config import Config
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config
