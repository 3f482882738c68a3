"""Messages of jobs taken into a worker's batch are taken out of the Redis queue
(lagebild_core/queue.py `RedisPublisher.unqueue`, workers/tasks.py `_set_aside_messages`): the
script against a real Redis, then a real worker with a backlog."""
from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
import redis

from lagebild_core.queue import (
    EXTRACT_TASK, QUEUE, REQUEST_ID_HEADER, RedisPublisher, create_celery, send_task, unqueue_window,
)
from lagebild_core.settings import Settings
from tests.support.live import LiveService, flushed_redis_database, private_postgres_database, running_stack

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(scope="module")
def redis_url():
    yield from flushed_redis_database(REDIS_URL)


@pytest.fixture(scope="module")
def postgres_url():
    yield from private_postgres_database("lagebild_unqueue")


@pytest.fixture
def queue(redis_url, tmp_path):
    """(publisher, Celery app, client) on an empty queue."""
    client = redis.Redis.from_url(redis_url)
    client.delete(QUEUE)
    app = create_celery(Settings(data_dir=str(tmp_path), broker_url=redis_url))
    yield RedisPublisher(app), app, client
    client.delete(QUEUE)


def _job_ids(client) -> list[str]:
    """The job of each message in the queue, oldest (the tail, where workers take) first."""
    messages = [json.loads(m) for m in reversed(client.lrange(QUEUE, 0, -1))]
    return [json.loads(base64.b64decode(m["body"]))[0][0] for m in messages]


def test_the_messages_of_the_given_jobs_are_removed_and_no_other(queue):
    publisher, app, client = queue
    jobs = [uuid.uuid4().hex for _ in range(7)]
    for job in jobs[:3]:
        publisher.publish([job], {REQUEST_ID_HEADER: "req-1"})
    # as _give_back and the sweep publish: through Celery, `alone` as a keyword argument
    send_task(app, EXTRACT_TASK, [jobs[3]], kwargs={"alone": True})
    publisher.publish([jobs[4], True], {REQUEST_ID_HEADER: None})  # `alone` as a second argument
    # a header that quotes another job's message names no job: JSON escapes its quotes
    publisher.publish([jobs[5]], {REQUEST_ID_HEADER: f'"argsrepr": "[\'{jobs[0]}\']"'})
    publisher.publish([jobs[6]], {})
    assert _job_ids(client) == jobs

    assert publisher.unqueue([jobs[3], jobs[0], jobs[4]]) == 3
    assert _job_ids(client) == [jobs[1], jobs[2], jobs[5], jobs[6]]
    assert publisher.unqueue([jobs[0], uuid.uuid4().hex]) == 0  # gone already; never queued
    assert publisher.unqueue([]) == 0
    assert _job_ids(client) == [jobs[1], jobs[2], jobs[5], jobs[6]]


def test_every_message_of_a_given_job_is_removed(queue):
    publisher, _, client = queue
    twice, other = uuid.uuid4().hex, uuid.uuid4().hex
    for job in (twice, other, twice):  # a job published again by the sweep has two messages
        publisher.publish([job], {})
    assert publisher.unqueue([twice]) == 2 and _job_ids(client) == [other]


def test_only_the_oldest_end_of_the_queue_is_looked_at(queue):
    """A message further than unqueue_window(n) from the tail stays: a batch's jobs are the oldest
    queued, and a long backlog must cost no more than a short one."""
    publisher, _, client = queue
    window = unqueue_window(1)
    older = [uuid.uuid4().hex for _ in range(window)]
    for job in older:
        publisher.publish([job], {})
    beyond = uuid.uuid4().hex
    publisher.publish([beyond], {})  # a window's length of older messages lies between it and the tail
    assert publisher.unqueue([beyond]) == 0 and _job_ids(client) == [*older, beyond]
    client.rpop(QUEUE)  # one older message less: now it is the window's last
    assert publisher.unqueue([beyond]) == 1 and _job_ids(client) == older[1:]


@pytest.fixture(scope="module")
def service(postgres_url, redis_url, tmp_path_factory):
    """gunicorn and (started by the test) a Celery worker on PostgreSQL + Redis, the blank model."""
    yield from running_stack(tmp_path_factory, "unqueue", postgres_url, redis_url,
                             # the queue is under test, not the extraction
                             {"LAGEBILD_SPACY_MODEL": "blank:de"}, key="unqueue")


def _submit(service: LiveService, count: int) -> list[dict]:
    texts = [f"Meldung {n}: Die Regierung in Paris kündigte am Montag neue Gespräche an." for n in range(count)]
    batch = service.post("/v1/articles:batch", json={"articles": [{"text": text} for text in texts]})
    assert batch.status_code == 202, batch.text
    return batch.json()["items"]


def _assert_stored_once(service: LiveService, items: list[dict]) -> None:
    jobs = [service.wait_job(item["job"]["links"]["self"]) for item in items]
    assert [(job["status"], job["attempts"]) for job in jobs] == [("succeeded", 1)] * len(items), jobs
    for item in items:
        versions = service.get(f"/v1/articles/{item['id']}/extractions").json()["items"]
        assert [v["version"] for v in versions] == [1]


def _stored_lines(service) -> list[dict]:
    return [line for line in service.json_lines("worker") if line.get("message") == "extraction stored"]


def test_a_batch_takes_its_jobs_messages_out_of_the_queue(service, redis_url):
    """A backlog of 10 waits before the worker (one process) starts: its first task takes the 9
    others into its batch, and their messages leave the queue at once; the worker's main process
    never receives them (no copy dropped) and every article is stored once."""
    client = redis.Redis.from_url(redis_url)
    items = _submit(service, 10)
    assert client.llen(QUEUE) == 10
    # the only process: it takes all it finds (with two, a batch takes at most half of them)
    service.env["LAGEBILD_WORKER_CONCURRENCY"] = "1"
    service.start("worker", "worker")
    del service.env["LAGEBILD_WORKER_CONCURRENCY"]
    try:
        _assert_stored_once(service, items)
        time.sleep(1)  # a copy would arrive after its job finished
        log = (service.log_dir / "worker.log").read_text(errors="replace")
        assert [line["batch"] for line in _stored_lines(service)] == [10]
        assert "copy dropped" not in log and client.llen(QUEUE) == 0
    finally:
        service.stop("worker")


def test_with_two_processes_and_a_backlog_every_article_is_extracted_once(service, redis_url):
    """Messages arriving while both processes work: taken out of the queue, dropped as copies
    when fetched already, never lost work and never run twice."""
    client = redis.Redis.from_url(redis_url)
    service.start("worker", "worker", "--concurrency", "2")
    try:
        service.wait_ready()
        for _ in range(3):
            items = _submit(service, 12)
            _assert_stored_once(service, items)
        time.sleep(1)
        stored = _stored_lines(service)
        assert sum(line["stored"] for line in stored) == 36 and max(line["batch"] for line in stored) > 1
        assert client.llen(QUEUE) == 0
    finally:
        service.stop("worker")
