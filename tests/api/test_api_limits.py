"""Rate limits per key (separate read and write budgets) and the pending-jobs back-pressure."""
from __future__ import annotations

import dataclasses

import pytest

from lagebild_core.settings import Settings
from service.limits import storage_uri
from tests.api.conftest import _test_settings


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    return dataclasses.replace(_test_settings(tmp_path_factory.mktemp("limits")), rate_limit_read="3/minute",
                               rate_limit_write="2/minute", max_pending_jobs=3)


def test_reads_over_budget_are_429_with_retry_after(client, problem):
    for remaining in (2, 1, 0):
        response = client.get("/v1/articles")
        assert response.status_code == 200
        assert response.headers["RateLimit-Limit"] == "3"
        assert response.headers["RateLimit-Remaining"] == str(remaining)
        assert 0 <= int(response.headers["RateLimit-Reset"]) <= 60
    response = client.get("/v1/articles")
    body = problem(response, 429, "too-many-requests")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["RateLimit-Remaining"] == "0" and "read" in body["detail"]


def test_budgets_are_per_key_and_per_kind(client, client_of, problem):
    for _ in range(3):
        client.get("/v1/articles")
    problem(client.get("/v1/jobs/x"), 429)
    assert client.post("/v1/articles", json={"text": "Noch ein Text."}).status_code == 202  # write budget
    assert client_of("tenant-a").get("/v1/articles").status_code == 200  # another key of the same tenant
    assert client_of("tenant-b").get("/v1/articles").status_code == 200
    for path in ("/healthz", "/readyz", "/openapi.yaml"):  # open paths are never counted
        assert client.get(path).status_code == 200


def test_writes_over_budget_are_429_and_write_nothing(api, client, problem):
    for _ in range(2):
        assert client.post("/v1/articles", json={"text": "Ein Text."}).status_code == 202
    before = api.counts()
    response = client.post("/v1/articles", json={"text": "Einer zu viel."})
    problem(response, 429, "too-many-requests")
    assert int(response.headers["Retry-After"]) >= 1
    assert api.counts() == before


def test_too_many_pending_jobs_is_429(api, client_of, problem):
    writers = [client_of("tenant-p") for _ in range(3)]  # fresh write budgets
    assert writers[0].post("/v1/articles:batch", json={"articles": [{"text": "Eins."}, {"text": "Zwei."}]}
                           ).status_code == 202
    accepted = writers[0].post("/v1/articles", json={"text": "Drei."})
    assert accepted.status_code == 202
    before = api.counts()
    for response in (writers[1].post("/v1/articles", json={"text": "Vier."}),
                     writers[1].post(f"{accepted.headers['Location']}/extractions")):
        body = problem(response, 429, "too-many-pending-jobs")
        assert int(response.headers["Retry-After"]) >= 1 and "3" in body["detail"]
    assert api.counts() == before
    assert client_of("tenant-q").post("/v1/articles", json={"text": "Anderer Mandant."}).status_code == 202


def test_pending_jobs_free_capacity_when_they_finish(api, client_of, run_job):
    writer = client_of("tenant-f")
    jobs = [writer.post("/v1/articles:batch", json={"articles": [{"text": "Eins."}, {"text": "Zwei."},
                                                                  {"text": "Drei."}]}).get_json()]
    assert writer.post("/v1/articles", json={"text": "Vier."}).status_code == 429
    run_job(jobs[0]["items"][0]["job"]["id"])
    assert client_of("tenant-f").post("/v1/articles", json={"text": "Vier."}).status_code == 202


def test_the_counters_live_in_redis_when_there_is_one():
    assert storage_uri(Settings()) == "memory://"
    assert storage_uri(Settings(broker_url="redis://r:6379/0")) == "redis://r:6379/0"
    assert storage_uri(Settings(broker_url="redis://r:6379/0", rate_limit_storage_url="redis://s/1")) == "redis://s/1"


def test_an_invalid_rate_limit_fails_at_start(tmp_path):
    from service.app import create_app
    with pytest.raises(ValueError, match="LAGEBILD_RATE_LIMIT_READ"):
        create_app(Settings(data_dir=str(tmp_path), rate_limit_read="many"))


def test_the_memory_window_moves_request_by_request():
    from service.limits import Budget, MemoryWindows
    now = [100.0]
    windows, budget = MemoryWindows(clock=lambda: now[0]), Budget(3, 60)
    for remaining, at in ((2, 100.0), (1, 110.0), (0, 130.0)):
        now[0] = at
        hit = windows.hit("k", budget)
        assert hit.allowed and hit.remaining == remaining
    now[0] = 159.0
    refused = windows.hit("k", budget)
    assert not refused.allowed and refused.remaining == 0 and refused.reset == pytest.approx(1.0)
    now[0] = 160.0  # the request of t=100 left the window: exactly one more fits, not three
    assert windows.hit("k", budget).allowed
    assert not windows.hit("k", budget).allowed
    assert windows.hit("other key", budget).remaining == 2


def test_redis_failing_counts_in_memory_instead_of_refusing():
    from service.limits import Budget, MemoryWindows, RedisWindows
    windows = RedisWindows("redis://127.0.0.1:1/0", MemoryWindows())  # nothing listens on port 1
    budget = Budget(2, 60)
    assert [windows.hit("k", budget).allowed for _ in range(3)] == [True, True, False]


def test_pending_jobs_are_counted_once_a_second_and_refused_only_by_a_fresh_count(monkeypatch):
    from lagebild_core import domain
    from service.capacity import PendingJobs
    counted, now, unfinished = [], [100.0], {"t": 2}

    def count(_session, *, tenant, adding, max_pending):
        counted.append(now[0])
        pending = unfinished[tenant]
        if pending + adding > max_pending:
            raise domain.Backlogged(f"{pending}")
        return pending
    monkeypatch.setattr(domain, "ensure_capacity", count)
    jobs = PendingJobs(seconds=1.0, clock=lambda: now[0])
    jobs.ensure(None, tenant="t", adding=1, max_pending=5)  # counts 2: 3 known
    now[0] = 100.5
    jobs.ensure(None, tenant="t", adding=2, max_pending=5)  # 5 known, no count
    assert counted == [100.0]
    unfinished["t"] = 5
    with pytest.raises(domain.Backlogged):  # 6 > 5: counted again before refusing
        jobs.ensure(None, tenant="t", adding=1, max_pending=5)
    unfinished["t"] = 1  # jobs finished: the next count lets the submission in
    jobs.ensure(None, tenant="t", adding=1, max_pending=5)
    assert counted == [100.0, 100.5, 100.5]
    now[0] = 101.6  # the count is too old
    jobs.ensure(None, tenant="t", adding=1, max_pending=5)
    assert counted == [100.0, 100.5, 100.5, 101.6]
