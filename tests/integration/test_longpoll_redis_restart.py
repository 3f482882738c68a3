"""The API's subscription to finished-job announcements survives a Redis restart that loses every
key (lagebild_core.job_events.listen, service/longpoll.py): the real gunicorn processes on a
private redis-server, which is SIGKILLed and started again on the same port. Afterwards the API
is subscribed again within seconds, and an announcement on the new server wakes a waiting
request at once, not after its periodic look or its timeout.

No worker runs: the article stays queued, so nothing but the announcement can end the wait
early (the periodic look asks the database, which says the job is still queued).
"""
from __future__ import annotations

import concurrent.futures
import time

import pytest
import redis
import requests

from lagebild_core import job_events
from tests.support.chaos import PrivateRedis
from tests.support.live import private_postgres_database, running_stack

pytestmark = pytest.mark.integration


@pytest.fixture()
def broker(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture()
def api(broker, tmp_path_factory):
    database = private_postgres_database("lagebild_lp_restart")
    try:
        yield from running_stack(tmp_path_factory, "lp-restart", next(database), broker.url,
                                 {"LAGEBILD_SPACY_MODEL": "blank:de"}, key="restart")
    finally:
        next(database, None)  # past its yield: dropped


def _subscribers(url: str) -> int:
    """How many connections listen on the announcements' channel of `url` (0 while it is down)."""
    channel = job_events.channel(url)
    try:
        return dict(redis.Redis.from_url(url, socket_timeout=2).pubsub_numsub(channel))[channel.encode()]
    except redis.ConnectionError:
        return 0


def _wait_for_subscribers(url: str, at_least: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while (found := _subscribers(url)) < at_least and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_the_api_subscribes_again_after_redis_restarts_and_is_woken_by_announcements(api, broker):
    job = api.post("/v1/articles", json={"text": "Die Ministerin reiste am Montag nach Rom."}).json()["job"]
    monitor = api.url(job["links"]["self"])
    # a first wait starts the process's watcher and its subscription; one request per process
    # would need luck with the balancer, so the test asks for one subscriber at least
    assert api.get(job["links"]["self"], headers={"Prefer": "wait=1"}).json()["status"] == "queued"
    assert _wait_for_subscribers(broker.url, 1, timeout=10) >= 1

    broker.kill()
    time.sleep(1)  # the subscriber notices and starts its backoff
    broker.start()  # same port, no data
    # backoff 0.5, 1, 2, 5 s between attempts: subscribed again well within 15 s
    assert _wait_for_subscribers(broker.url, 1, timeout=15) >= 1

    def wait_for_job() -> tuple[requests.Response, float]:
        with requests.Session() as http:
            answer = http.get(monitor, headers={"Prefer": "wait=20", **api.http.headers}, timeout=60)
            return answer, time.monotonic()

    # every API process may hold a subscription; each waiter is woken by its own process's
    waiting_processes = _subscribers(broker.url)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        waiters = [pool.submit(wait_for_job) for _ in range(4)]
        time.sleep(1.5)  # the requests are waiting in the API
        assert not any(w.done() for w in waiters), "a queued job cannot end a wait early"
        announced = time.monotonic()
        publisher = job_events.Publisher(broker.url)
        publisher.publish([job["id"]])
        answers = [w.result() for w in waiters]
    assert {answer.status_code for answer, _ in answers} == {200}
    assert waiting_processes >= 1
    # woken by the announcement: long before the 20 s wait, and before a 1 s periodic look would matter
    assert max(finished - announced for _, finished in answers) < 1.0
