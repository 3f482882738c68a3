"""The production stack on this machine: PostgreSQL, Redis, a Celery worker and gunicorn.

These tests fail (not skip) when Redis or PostgreSQL is not running: `make test` starts them
with scripts/ensure-services.sh. Each run gets its own PostgreSQL database and Redis
database number, dropped and flushed at the end.
"""
from __future__ import annotations

import pytest

from tests.support.live import (
    flushed_redis_database,
    private_postgres_database,
    running_stack,
)

REDIS_URL = "redis://127.0.0.1:6379/{db}"
REDIS_DB = 11

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def postgres_url():
    yield from private_postgres_database("lagebild_it")


@pytest.fixture(scope="session")
def redis_url():
    yield from flushed_redis_database(REDIS_URL.format(db=REDIS_DB))


@pytest.fixture(scope="session")
def stack(postgres_url, redis_url, tmp_path_factory):
    """gunicorn (2 processes) and a Celery worker (2 processes + the sweep) on PostgreSQL + Redis."""
    yield from running_stack(tmp_path_factory, "stack", postgres_url, redis_url, {
        "LAGEBILD_REQUEUE_AFTER_SECONDS": "60",
        # schemathesis sends thousands of requests with one key; tests/security checks the limits
        "LAGEBILD_RATE_LIMIT_READ": "100000/minute", "LAGEBILD_RATE_LIMIT_WRITE": "100000/minute",
    }, worker=("worker", "--concurrency", "2", "--beat"), key="integration")
