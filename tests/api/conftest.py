"""Helpers for the API tests: a small client wrapper, problem assertions, table counts.

The tests run against the Flask test client on a SQLite database (one app per module, emptied
before each test); extraction jobs run in-process with the blank German pipeline (`run_job`).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from service.app import create_app
from lagebild_core.settings import Settings
from lagebild_core.store import Database
from lagebild_core.store.models import Article, Base, Extraction, IdempotencyRecord, Job

PROBLEM = "application/problem+json"
IMMUTABLE = "public, max-age=31536000, immutable"
SAMPLE = ("Russlands Verteidigungsminister Andrey Belousov traf am Dienstag in Peking Zhang Youxia. "
          "„Wir teilen gemeinsame Ansichten“, sagte Belousov.")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file migrated to the newest revision once per session."""
    path = tmp_path_factory.mktemp("template") / "lagebild.sqlite3"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.engine.dispose()
    return path


def _migrated_app(settings: Settings, migrated_sqlite: Path):
    url = settings.effective_database_url
    if url.startswith("sqlite:///"):
        target = Path(url.removeprefix("sqlite:///"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite, target)
    app = create_app(settings)
    if not url.startswith("sqlite:///"):
        app.extensions["lagebild_db"].upgrade()
    return app


def _test_settings(folder: Path) -> Settings:
    """The settings of tests/conftest.py's `settings` fixture; the tests rely on these limits."""
    return Settings(data_dir=str(folder / "var"), spacy_model="blank:de", max_text_bytes=5000,
                    max_request_bytes=200_000, batch_limit=5)


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    """Like tests/conftest.py's `settings`, once per module: creating an app (and its OpenAPI
    spec) costs more than most tests, so a module shares one app, and `_empty_tables` gives
    every test empty tables."""
    return _test_settings(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def app(settings, migrated_sqlite):
    app = _migrated_app(settings, migrated_sqlite)
    yield app
    app.extensions["lagebild_db"].engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Each test that uses the module's app starts with empty tables (every table, children first)."""
    if "app" in request.fixturenames:
        with request.getfixturevalue("app").extensions["lagebild_db"].transaction() as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(delete(table))


def create_key(app, tenant: str = "tenant-a", scope: str = "write") -> str:
    """Store a new API key in the app's database and return it."""
    from lagebild_core import keys
    with app.extensions["lagebild_db"].transaction() as session:
        return keys.create_key(session, tenant, scope)[1]


def keyed_client(app, key: str):
    """A test client that sends `key` as its bearer token with every request."""
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def client(app, _empty_tables):
    """The test client of tenant "tenant-a", with a write key (created after the tables were emptied)."""
    return keyed_client(app, create_key(app))


@pytest.fixture
def client_of(app, _empty_tables):
    """`client_of(tenant, scope)`: a test client with a new key of that tenant and scope."""
    return lambda tenant, scope="write": keyed_client(app, create_key(app, tenant, scope))


@pytest.fixture(scope="session")
def blank_pipeline():
    from workers.pipeline import load
    return load("blank:de")


@pytest.fixture(autouse=True)
def _use_blank_pipeline(blank_pipeline, monkeypatch):
    """Every job in these tests runs the blank pipeline, loaded once per session."""
    from workers import process
    monkeypatch.setitem(process.state, "pipeline", blank_pipeline)


class ApiHelper:
    """Shortcuts over the test client; every helper asserts what it relies on."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    # --- requests ---------------------------------------------------------------------------
    def submit(self, text: str = SAMPLE, headers: dict | None = None, **fields) -> dict:
        """POST a JSON article, assert 202, return the body."""
        response = self.client.post("/v1/articles", json={"text": text, **fields}, headers=headers or {})
        assert response.status_code == 202, response.get_data(as_text=True)
        return response.get_json()

    def get_json(self, url: str, status: int = 200, **kwargs):
        response = self.client.get(url, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        return response.get_json()

    def job(self, job_id: str) -> dict:
        return self.get_json(f"/v1/jobs/{job_id}")

    def article(self, article_id: str) -> dict:
        return self.get_json(f"/v1/articles/{article_id}")

    def list_ids(self, **query) -> list[str]:
        return [item["id"] for item in self.get_json("/v1/articles", query_string=query)["items"]]

    # --- database -----------------------------------------------------------------------------
    def session(self):
        return self.app.extensions["lagebild_db"].sessions()

    def counts(self) -> dict[str, int]:
        with self.session() as session:
            return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                    for model in (Article, Job, Extraction, IdempotencyRecord)}

    def db_job(self, job_id: str) -> Job:
        with self.session() as session:
            return session.scalar(select(Job).where(Job.id == job_id))

    def assert_nothing_written(self, before: dict[str, int] | None = None) -> None:
        """No table grew (compared with `before`, default: empty) and the list is unchanged."""
        before = before or {"articles": 0, "jobs": 0, "extractions": 0, "idempotency_records": 0}
        assert self.counts() == before
        if before["articles"] == 0:
            assert self.get_json("/v1/articles")["items"] == []


def assert_problem(response, status: int, slug: str | None = None, field: str | None = None) -> dict:
    """Assert an RFC 9457 problem with this status (and type slug / invalid field); return it."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert set(body) >= {"type", "title", "status", "detail", "instance"}
    assert body["status"] == status
    assert body["type"].startswith("urn:lagebild:problem:")
    assert body["title"] and body["detail"]
    assert body["instance"] == response.request.path
    assert "Traceback" not in body["detail"] and "<html" not in response.get_data(as_text=True).lower()
    if slug is not None:
        assert body["type"] == f"urn:lagebild:problem:{slug}"
    if field is not None:
        assert body["errors"], body
        assert all(set(error) == {"field", "message"} and error["message"] for error in body["errors"])
        assert field in [error["field"] for error in body["errors"]], body["errors"]
    return body


@pytest.fixture
def api(app, client) -> ApiHelper:
    return ApiHelper(app, client)


@pytest.fixture
def problem():
    """The `assert_problem` helper, as a fixture (conftest modules are not importable)."""
    return assert_problem
