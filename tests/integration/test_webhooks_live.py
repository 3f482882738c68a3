"""Webhooks on the production stack: gunicorn, a Celery worker with the sweep, PostgreSQL and
Redis, delivering to a real HTTP receiver on a free local port.

One signed delivery per finished job; retries on the schedule (LAGEBILD_WEBHOOK_BACKOFF_SECONDS
=1,1,1); nothing for another tenant; `job.failed` for a failing job; and a worker killed (SIGKILL,
the whole process group) in the middle of a delivery or with a retry still to send: the event
arrives once a new worker runs, with the same `webhook-id`.
"""
from __future__ import annotations

import signal
import threading
import time

import psycopg
import pytest
import requests

from tests.support.live import LiveService, flushed_redis_database, private_postgres_database, running_stack
from tests.support.webhooks import Receiver

pytestmark = pytest.mark.integration

REDIS_URL = "redis://127.0.0.1:6379/14"
WORKER = ("worker", "--concurrency", "1", "--beat")
TEXT = "Peking erklärte am Montag, man sei zu Gesprächen bereit. Moskau warnte vor neuen Sanktionen."


@pytest.fixture(scope="module")
def postgres_url():
    yield from private_postgres_database("lagebild_hooks")


@pytest.fixture(scope="module")
def redis_url():
    yield from flushed_redis_database(REDIS_URL)


@pytest.fixture(scope="module")
def stack(postgres_url, redis_url, tmp_path_factory):
    yield from running_stack(tmp_path_factory, "hooks", postgres_url, redis_url, {
        "LAGEBILD_SPACY_MODEL": "blank:de",  # the deliveries are under test, not the extraction
        "LAGEBILD_WEBHOOK_ALLOW_PRIVATE": "true",
        "LAGEBILD_WEBHOOK_BACKOFF_SECONDS": "1,1,1",
        "LAGEBILD_WEBHOOK_TIMEOUT_SECONDS": "3",
        "LAGEBILD_REQUEUE_AFTER_SECONDS": "20",
    }, worker=WORKER)


class Tenant:
    """One tenant's view of the stack: its own write key."""

    def __init__(self, stack: LiveService, name: str):
        self.stack = stack
        self.headers = {"Authorization": f"Bearer {stack.create_key(name)}"}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, self.stack.url(path), headers=self.headers, timeout=30, **kwargs)

    def subscribe(self, url: str, events=("extraction.created", "job.failed")) -> dict:
        response = self.request("POST", "/v1/webhooks", json={"url": url, "events": list(events)})
        assert response.status_code == 201, response.text
        return response.json()

    def submit(self, text: str = TEXT) -> dict:
        response = self.request("POST", "/v1/articles", json={"text": text})
        assert response.status_code == 202, response.text
        return response.json()

    def wait_job(self, job_id: str, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.request("GET", f"/v1/jobs/{job_id}").json()
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.3)
        raise AssertionError(f"job {job_id} not finished: {job}\n{self.stack.log('worker')}")

    def attempts(self, webhook: dict) -> list[dict]:
        return self.request("GET", webhook["links"]["deliveries"], params={"limit": 100}).json()["items"]


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def wait_for(receiver: Receiver, count: int, stack: LiveService, timeout: float = 150) -> list[dict]:
    try:
        return receiver.wait_for(count, timeout)
    except AssertionError as error:
        raise AssertionError(f"{error}\n" + "\n".join(stack.log(name) for name in stack.processes)) from None


def restart_worker(stack: LiveService) -> None:
    if "worker" in stack.processes:
        stack.stop("worker", sig=signal.SIGKILL)
    stack.start("worker", *WORKER)


def test_each_finished_job_is_delivered_once_signed_and_not_for_other_tenants(stack, receiver, postgres_url):
    tenant, other = Tenant(stack, "hooks-a"), Tenant(stack, "hooks-b")
    webhook = tenant.subscribe(receiver.url + "/lagebild")
    foreign = other.submit()
    other.wait_job(foreign["job"]["id"])
    articles = [tenant.submit(f"{TEXT} Meldung {n}.") for n in range(3)]
    jobs = [tenant.wait_job(article["job"]["id"]) for article in articles]
    assert [job["status"] for job in jobs] == ["succeeded"] * 3
    wait_for(receiver, 3, stack)
    time.sleep(2)  # room for a duplicate to show up
    verified = receiver.verified(webhook["secret"])
    assert len(verified) == len(receiver.requests) == 3
    events = sorted((r["event"] for r in verified), key=lambda e: e["data"]["job_id"])
    assert [e["data"]["job_id"] for e in events] == sorted(job["id"] for job in jobs)
    for event in events:
        assert event["type"] == "extraction.created" and event["data"]["version"] == 1
        assert tenant.request("GET", event["data"]["links"]["extraction"]).status_code == 200
    assert len({r["headers"]["webhook-id"] for r in verified}) == 3
    assert foreign["job"]["id"] not in str(receiver.requests)
    with psycopg.connect(postgres_url.replace("+psycopg", "")) as connection:
        assert connection.execute("SELECT count(*) FROM webhook_deliveries WHERE tenant = 'hooks-b'").fetchone()[0] == 0
    assert {a["outcome"] for a in tenant.attempts(webhook)} == {"succeeded"}


def test_retries_follow_the_schedule_after_500(stack):
    receiver = Receiver(statuses=[500, 500, 200])
    try:
        tenant = Tenant(stack, "hooks-retry")
        webhook = tenant.subscribe(receiver.url)
        tenant.wait_job(tenant.submit()["job"]["id"])
        requests_seen = wait_for(receiver, 3, stack)
        assert len({r["headers"]["webhook-id"] for r in requests_seen}) == 1
        assert len(receiver.verified(webhook["secret"])) == 3
        gaps = [later["received"] - earlier["received"] for earlier, later in zip(requests_seen, requests_seen[1:])]
        assert all(gap >= 0.9 for gap in gaps), gaps  # the schedule's delay, not an immediate retry
        time.sleep(1)
        attempts = tenant.attempts(webhook)
        assert [(a["attempt"], a["status_code"], a["outcome"]) for a in attempts] == [
            (3, 200, "succeeded"), (2, 500, "retrying"), (1, 500, "retrying")]
    finally:
        receiver.close()


def test_a_failing_job_is_delivered_as_job_failed(stack, receiver):
    """The article is deleted before a worker picks its job up: the job fails (article-deleted)."""
    tenant = Tenant(stack, "hooks-failed")
    webhook = tenant.subscribe(receiver.url, events=["job.failed"])
    stack.stop("worker", sig=signal.SIGKILL)
    try:
        article = tenant.submit()
        assert tenant.request("DELETE", f"/v1/articles/{article['id']}").status_code == 204
    finally:
        restart_worker(stack)
    job = tenant.wait_job(article["job"]["id"])
    assert job["status"] == "failed"
    wait_for(receiver, 1, stack)
    [request] = receiver.verified(webhook["secret"])
    event = request["event"]
    assert event["type"] == "job.failed" and event["data"]["job_id"] == job["id"]
    assert event["data"]["error"] == job["error"] and event["data"]["error"]["type"].endswith("article-deleted")


def test_a_worker_killed_mid_delivery_delivers_after_a_restart(stack):
    """The receiver kills the whole worker while it holds the worker's first request open."""
    killed = threading.Event()

    def kill_on_first(number):
        if number == 1:
            stack.stop("worker", sig=signal.SIGKILL)
            killed.set()
    receiver = Receiver(on_request=kill_on_first)
    try:
        tenant = Tenant(stack, "hooks-killed")
        webhook = tenant.subscribe(receiver.url)
        tenant.wait_job(tenant.submit()["job"]["id"])
        assert killed.wait(120), stack.log("worker")
        restart_worker(stack)
        first, second = wait_for(receiver, 2, stack)[:2]
        assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
        assert len(receiver.verified(webhook["secret"])) == len(receiver.requests)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(a["outcome"] == "succeeded" for a in tenant.attempts(webhook)):
            time.sleep(0.5)
        assert [a["outcome"] for a in tenant.attempts(webhook)] == ["succeeded"]
    finally:
        receiver.close()


def test_a_worker_killed_with_a_retry_pending_delivers_after_a_restart(stack):
    """The first attempt gets a 500; the worker is killed right after, holding its retry."""
    killed = threading.Event()

    def kill_after_first(number):
        if number == 1:
            threading.Timer(0.5, lambda: (stack.stop("worker", sig=signal.SIGKILL), killed.set())).start()
    receiver = Receiver(statuses=[500, 200], on_request=kill_after_first)
    try:
        tenant = Tenant(stack, "hooks-pending")
        webhook = tenant.subscribe(receiver.url)
        tenant.wait_job(tenant.submit()["job"]["id"])
        assert killed.wait(120), stack.log("worker")
        restart_worker(stack)
        delivered = wait_for(receiver, 2, stack)
        assert len({r["headers"]["webhook-id"] for r in delivered}) == 1
        assert len(receiver.verified(webhook["secret"])) == len(receiver.requests)
    finally:
        receiver.close()
