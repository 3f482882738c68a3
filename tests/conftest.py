"""Fixtures shared by the test suite: an API on a fresh SQLite database, and a way to run
the extraction task in-process for tests that do not need the real servers."""
from __future__ import annotations

import dataclasses

import pytest

from service.app import create_app
from lagebild_core.settings import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Embedded defaults in a temporary folder, with the blank pipeline (fast, model-free)."""
    return Settings(data_dir=str(tmp_path / "var"), spacy_model="blank:de", max_text_bytes=5000,
                    max_request_bytes=200_000, batch_limit=5)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    app.extensions["lagebild_db"].upgrade()
    yield app
    app.extensions["lagebild_db"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_job(settings):
    """Run the extraction task for a job id in this process, as a worker would, one job per call
    (LAGEBILD_WORKER_BATCH_SIZE=1: a test decides which job runs when; tests/api/test_worker_batches.py
    covers batches)."""
    import workers.tasks as tasks
    from workers import process

    def forget_what_was_made_from_settings():
        for name in ("db", "announcer"):
            process.state.pop(name, None)

    previous = tasks.celery.conf.lagebild_settings
    tasks.celery.conf.lagebild_settings = dataclasses.replace(settings, worker_batch_size=1)
    forget_what_was_made_from_settings()

    def run(job_id: str):
        return tasks.extract.run(job_id)

    yield run
    forget_what_was_made_from_settings()
    tasks.celery.conf.lagebild_settings = previous
