"""The real service for the security tests: gunicorn (`lagebild serve --no-worker`, the front
door of service/gunicorn_conf.py) and a Celery worker on PostgreSQL and Redis, as in production.

Low rate limits (the 429 test reaches them with a key of its own; every other test uses keys
of its own too, so budgets do not leak between tests). The worker runs the blank German pipeline:
what is checked here does not depend on the model (tests/model checks the cost of the hostile
texts with the shipped one). Own PostgreSQL database, Redis database 12 (integration uses 11).
"""
from __future__ import annotations

import pytest

from tests.support.live import (
    flushed_redis_database,
    private_postgres_database,
    running_stack,
)

REDIS_URL = "redis://127.0.0.1:6379/12"
READ_LIMIT = 120


@pytest.fixture(scope="package")
def security_postgres():
    yield from private_postgres_database("lagebild_sec")


@pytest.fixture(scope="package")
def security_redis():
    yield from flushed_redis_database(REDIS_URL)


@pytest.fixture(scope="package")
def live(security_postgres, security_redis, tmp_path_factory):
    yield from running_stack(tmp_path_factory, "security", security_postgres, security_redis, {
        "LAGEBILD_SPACY_MODEL": "blank:de",
        "LAGEBILD_RATE_LIMIT_READ": f"{READ_LIMIT}/minute",
        "LAGEBILD_RATE_LIMIT_WRITE": "60/minute",
    }, worker=("worker", "--concurrency", "1", "--no-beat"))
