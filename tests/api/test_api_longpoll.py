"""Long polling: `GET /v1/jobs/{id}` with `Prefer: wait=N` (RFC 7240) waits for the job to finish."""
from __future__ import annotations

import threading

import pytest

from service.longpoll import MAX_WAIT_SECONDS, FinishedJobs, JobWatcher, requested_wait


@pytest.mark.parametrize("prefer, seconds", [
    ("wait=10", 10), ("WAIT = 7", 7), ("respond-async, wait=5", 5), ("wait=3; foo=bar", 3),
    ('wait="4"', 4), ("wait=0", 0), ("wait=31", MAX_WAIT_SECONDS), ("wait=99999999999", None),
    ("wait=abc", None), ("wait=-1", None), ("handling=lenient", None), ("", None), (None, None),
])
def test_prefer_wait_is_read_as_rfc_7240_says(prefer, seconds):
    assert requested_wait(prefer) == seconds


def test_the_answer_waits_until_the_job_finishes(api, client, run_job):
    job_id = api.submit()["job"]["id"]
    worker = threading.Timer(0.5, run_job, args=[job_id])
    worker.start()
    response = client.get(f"/v1/jobs/{job_id}", headers={"Prefer": "wait=20"})
    worker.join()
    assert response.status_code == 200
    assert response.get_json()["status"] == "succeeded"
    assert response.headers["Preference-Applied"] == "wait=20"
    assert "Retry-After" not in response.headers and "Prefer" in response.headers["Vary"]


def test_a_job_that_does_not_finish_is_answered_as_it_is_after_the_wait(api, client):
    job_id = api.submit()["job"]["id"]
    response = client.get(f"/v1/jobs/{job_id}", headers={"Prefer": "wait=1"})
    assert response.get_json()["status"] == "queued"
    assert response.headers["Preference-Applied"] == "wait=1" and int(response.headers["Retry-After"]) >= 1


def test_a_finished_job_answers_at_once_with_the_wait_capped(api, client, run_job):
    job_id = api.submit()["job"]["id"]
    run_job(job_id)
    response = client.get(f"/v1/jobs/{job_id}", headers={"Prefer": "wait=600"})
    assert response.get_json()["status"] == "succeeded"
    assert response.headers["Preference-Applied"] == f"wait={MAX_WAIT_SECONDS}"


def test_without_a_readable_wait_nothing_is_applied(api, client):
    job_id = api.submit()["job"]["id"]
    response = client.get(f"/v1/jobs/{job_id}", headers={"Prefer": "wait=soon"})
    assert response.get_json()["status"] == "queued" and "Preference-Applied" not in response.headers


def test_another_tenants_job_is_404_before_any_wait(api, client_of, problem):
    job_id = api.submit()["job"]["id"]
    other = client_of("tenant-b")
    problem(other.get(f"/v1/jobs/{job_id}", headers={"Prefer": "wait=30"}), 404)


def test_one_watcher_query_serves_every_waiting_request():
    """A hundred requests waiting for two jobs are checked together: each `finished` call asks for
    the awaited ids at once; when nobody waits any more, the watcher stops asking."""
    calls: list[set[str]] = []
    finished: set[str] = set()

    def check(job_ids: set[str]) -> set[str]:
        calls.append(set(job_ids))
        return job_ids & finished

    watcher = JobWatcher(check, interval=0.02)
    results: list[bool] = []
    waiters = [threading.Thread(target=lambda i=i: results.append(watcher.wait(f"job-{i % 2}", 10)))
               for i in range(100)]
    for waiter in waiters:
        waiter.start()
    while not calls or calls[-1] != {"job-0", "job-1"}:
        threading.Event().wait(0.01)
    finished.update({"job-0", "job-1"})
    for waiter in waiters:
        waiter.join()
    assert results == [True] * 100
    assert all(call <= {"job-0", "job-1"} for call in calls)
    threading.Event().wait(0.2)
    asked = len(calls)
    threading.Event().wait(0.2)
    assert len(calls) == asked  # stopped


def test_the_watchers_connection_is_replaced_after_it_failed(app, api, run_job):
    job_id = api.submit()["job"]["id"]
    run_job(job_id)
    finished = FinishedJobs(app.extensions["lagebild_db"].engine)
    assert finished({job_id, "unknown"}) == {job_id}
    finished._connection.connection.dbapi_connection.close()  # the database went away under it
    with pytest.raises(Exception):
        finished({job_id})
    assert finished({job_id}) == {job_id}  # a new connection
