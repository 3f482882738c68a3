"""The production stack on this machine: PostgreSQL, Redis, a Celery worker and gunicorn.

These tests fail (not skip) when Redis or PostgreSQL is not running: `make test` starts them
with scripts/ensure-services.sh. Each run gets its own PostgreSQL database and Redis
database number, dropped and flushed at the end.
"""
from __future__ import annotations

import uuid

import psycopg
import pytest
import redis

from tests.support.live import LiveService

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/{db}"
REDIS_DB = 11

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def postgres_url():
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not running at 127.0.0.1:5432 ({error}); run scripts/ensure-services.sh")
    name = f"lagebild_it_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def redis_url():
    url = REDIS_URL.format(db=REDIS_DB)
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not running at 127.0.0.1:6379 ({error}); run scripts/ensure-services.sh")
    client.flushdb()
    yield url
    client.flushdb()


@pytest.fixture(scope="session")
def stack(postgres_url, redis_url, tmp_path_factory):
    """gunicorn (2 processes) and a Celery worker (2 processes + the sweep) on PostgreSQL + Redis."""
    service = LiveService({
        "LAGEBILD_DATABASE_URL": postgres_url,
        "LAGEBILD_BROKER_URL": redis_url,
        "LAGEBILD_DATA_DIR": str(tmp_path_factory.mktemp("stack")),
        "LAGEBILD_REQUEUE_AFTER_SECONDS": "60",
        # schemathesis sends thousands of requests with one key; tests/security checks the limits
        "LAGEBILD_RATE_LIMIT_READ": "100000/minute", "LAGEBILD_RATE_LIMIT_WRITE": "100000/minute",
    }, tmp_path_factory.mktemp("logs"))
    service.run("db", "upgrade")
    service.use_key("integration")
    service.start("worker", "worker", "--concurrency", "2", "--beat")
    service.start("api", "serve", "--no-worker")
    try:
        service.wait_ready()
        yield service
    finally:
        service.stop()
