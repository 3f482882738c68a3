"""Long polling through the real front door: waiting clients hold greenlets, not server processes.

On the embedded default (SQLite + file queue) with the API alone, 200 clients wait on one queued
job with `Prefer: wait=30` while others are served; a worker started afterwards finishes the job
and every waiting client gets the finished job. On PostgreSQL + Redis (the `stack`), a submitted
article's job is awaited in one request, the worker announces it on Redis once it has committed,
and the API process that waited listens to those announcements (lagebild_core.job_events).
"""
from __future__ import annotations

import concurrent.futures
import time

import pytest
import redis
import requests

from lagebild_core import job_events

from tests.support.live import LiveService

pytestmark = pytest.mark.integration

WAITERS = 200


def test_waiting_clients_do_not_hold_the_server(tmp_path):
    service = LiveService({"LAGEBILD_DATA_DIR": str(tmp_path / "var"), "LAGEBILD_DATABASE_URL": "",
                           "LAGEBILD_BROKER_URL": "", "LAGEBILD_SPACY_MODEL": "blank:de"}, tmp_path)
    service.run("db", "upgrade")
    service.use_key("longpoll")
    service.start("api", "serve", "--no-worker")
    try:
        service.wait_ready()
        accepted = service.post("/v1/articles", json={"text": "Die Ministerin reiste am Montag nach Rom."})
        monitor = service.url(accepted.json()["job"]["links"]["self"])

        def wait_for_job() -> requests.Response:
            with requests.Session() as http:
                return http.get(monitor, headers={"Prefer": "wait=30", **service.http.headers}, timeout=60)

        with concurrent.futures.ThreadPoolExecutor(WAITERS) as pool:
            waiting = [pool.submit(wait_for_job) for _ in range(WAITERS)]
            # both API processes keep answering while 200 requests wait (timeouts: no process is free)
            for _ in range(10):
                assert service.http.get(service.url("/healthz"), timeout=5).status_code == 200
                assert service.get("/v1/articles").status_code == 200
            assert not any(future.done() for future in waiting), "the job cannot have finished: no worker"
            service.start("worker", "worker", "--concurrency", "1")
            answers = [future.result() for future in waiting]
        assert {answer.status_code for answer in answers} == {200}
        assert {answer.json()["status"] for answer in answers} == {"succeeded"}
        assert {answer.headers["Preference-Applied"] for answer in answers} == {"wait=30"}
    finally:
        service.stop()


def test_a_job_is_awaited_in_one_request_on_postgres_and_redis(stack):
    accepted = stack.post("/v1/articles", json={"text": "Der Minister traf am Dienstag seinen Amtskollegen."})
    job = stack.get(accepted.json()["job"]["links"]["self"], headers={"Prefer": "wait=30"})
    assert job.headers["Preference-Applied"] == "wait=30"
    assert job.json()["status"] == "succeeded"


def test_the_worker_announces_finished_jobs_to_the_waiting_api_on_redis(stack, redis_url):
    channel = job_events.channel(redis_url)
    pubsub = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(channel)
    # the last of three is still queued when its request comes, so that request waits
    texts = [f"Artikel {n}: Der Minister traf am Dienstag seinen Amtskollegen." for n in range(3)]
    jobs = [stack.post("/v1/articles", json={"text": text}).json()["job"] for text in texts]
    answer = stack.get(jobs[-1]["links"]["self"], headers={"Prefer": "wait=30"})
    assert answer.json()["status"] == "succeeded"
    announced: set[str] = set()
    deadline = time.monotonic() + 30
    while not {job["id"] for job in jobs} <= announced and time.monotonic() < deadline:
        message = pubsub.get_message(timeout=1)
        announced |= set(message["data"].decode().split()) if message else set()
    assert {job["id"] for job in jobs} <= announced
    subscribers = dict(redis.Redis.from_url(redis_url).pubsub_numsub(channel))[channel.encode()]
    assert subscribers >= 2  # this test and the API process whose request waited
    pubsub.close()
