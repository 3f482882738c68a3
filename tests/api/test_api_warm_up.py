"""An API process's warm-up after the fork (service/warm_up.py) rehearses a POST's database and
broker work and leaves nothing behind; a database or broker that cannot be used, or a rehearsal
that does not finish in time, never keeps the process from serving."""
from __future__ import annotations

import dataclasses
import time

from sqlalchemy import func, select

from lagebild_core import domain
from lagebild_core.store.models import Article, Job
from service import warm_up
from service.app import create_app


def _counts(app) -> tuple[int, int]:
    with app.extensions["lagebild_db"].transaction() as session:
        return session.scalar(select(func.count()).select_from(Article)), session.scalar(select(func.count()).select_from(Job))


def test_the_rehearsal_submits_and_reads_a_job_and_rolls_it_back(app, client, monkeypatch):
    waiting = client.post("/v1/articles", json={"text": "Ein Artikel, der auf seinen Worker wartet."}).get_json()["job"]["id"]
    submitted = []
    real = domain.submit_articles
    monkeypatch.setattr(domain, "submit_articles", lambda *a, **k: submitted.append(real(*a, **k)) or submitted[-1])
    before = _counts(app)

    took = warm_up.warm_up(app)

    assert took is not None and len(submitted) == 1  # it ran, and submitted its sample
    assert _counts(app) == before
    with app.extensions["lagebild_db"].transaction() as session:
        assert session.scalar(select(Job.status).where(Job.id == waiting)) == "queued"


def test_a_database_that_cannot_be_used_does_not_stop_the_process(settings, tmp_path):
    unmigrated = create_app(dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    assert warm_up.warm_up(unmigrated) is None


def test_a_broker_that_does_not_answer_does_not_stop_the_process(app, settings):
    redis_app = create_app(dataclasses.replace(settings, broker_url="redis://127.0.0.1:1/0"))
    redis_app.extensions["lagebild_db"] = app.extensions["lagebild_db"]  # migrated: only the broker fails
    assert warm_up.warm_up(redis_app) is None


def test_a_rehearsal_that_takes_too_long_is_left_running(app, monkeypatch):
    monkeypatch.setattr(domain, "ensure_capacity", lambda *a, **k: time.sleep(3))
    started = time.monotonic()
    assert warm_up.warm_up(app, wait=0.2) is None
    assert time.monotonic() - started < 2  # it did not wait for the database to answer

