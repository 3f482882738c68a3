"""The worker's warm-up before its pool forks (workers/warm_up.py) rehearses claiming and storing
a real document and leaves nothing behind: no rows, no other job touched, no failure when the
database cannot be used."""
from __future__ import annotations

from sqlalchemy import func, select

from lagebild_core import domain
from lagebild_core.store import Database
from lagebild_core.store.events import EventRecord
from lagebild_core.store.models import Article, Extraction, Job
from tests.support.documents import fixed_pipeline  # noqa: F401 - a fixture
from workers.pipeline import extractor
from workers.warm_up import warm_up


def _counts(database: Database) -> dict[str, int]:
    with database.transaction() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Article, Job, Extraction, EventRecord)}


def test_the_rehearsal_stores_a_batch_and_rolls_it_back(app, api, fixed_pipeline, monkeypatch):  # noqa: F811
    database = app.extensions["lagebild_db"]
    waiting = api.submit()["job"]["id"]  # a real job waiting for a worker
    stored = []
    real_store = domain.store_extractions
    monkeypatch.setattr(domain, "store_extractions",
                        lambda session, results: stored.append(real_store(session, results)) or stored[-1])
    before = _counts(database)

    timings = warm_up(extractor.load(extractor.BLANK_MODEL), database)

    assert set(timings) == {"extract", "store"}
    assert [extraction.version for extraction in stored[0]] == [1, 1]  # both articles stored, then rolled back
    assert _counts(database) == before
    assert api.job(waiting)["status"] == "queued"
    with database.transaction() as session:
        assert session.scalar(select(Job.attempts).where(Job.id == waiting)) == 0


def test_a_database_that_cannot_be_used_does_not_stop_the_warm_up(tmp_path):
    unmigrated = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")

    timings = warm_up(extractor.load(extractor.BLANK_MODEL), unmigrated)

    assert set(timings) == {"extract"}
