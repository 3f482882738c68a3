"""Jobs: the status monitor, failures, lost tasks, deleted articles, and a broker that is down."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from lagebild_core import domain
from lagebild_core.store.models import Job

LOST = dt.timedelta(0)  # a lease that is over at once: the worker that started the job was lost


def _expire_leases(api) -> None:
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    with api.app.extensions["lagebild_db"].transaction() as session:
        session.execute(update(Job).values(heartbeat_at=old, started_at=old))


def test_job_queued_then_succeeded(api, client, run_job):
    article = api.submit()
    response = client.get(f"/v1/jobs/{article['job']['id']}")
    assert response.status_code == 200 and int(response.headers["Retry-After"]) >= 1
    job = response.get_json()
    assert job == article["job"]
    assert run_job(job["id"]) == 1
    response = client.get(f"/v1/jobs/{job['id']}")
    assert "Retry-After" not in response.headers
    done = response.get_json()
    assert done["status"] == "succeeded" and done["error"] is None and done["attempts"] == 1
    assert done["extraction_version"] == 1
    assert done["links"]["result"] == f"/v1/articles/{article['id']}/extractions/1"
    assert done["created_at"] <= done["started_at"] <= done["finished_at"]
    assert api.get_json(done["links"]["result"])["version"] == 1


def test_running_job_has_retry_after(api, client):
    article = api.submit()
    with api.app.extensions["lagebild_db"].transaction() as session:
        assert domain.start_job(session, article["job"]["id"]) is not None
    response = client.get(f"/v1/jobs/{article['job']['id']}")
    assert response.get_json()["status"] == "running" and response.get_json()["started_at"]
    assert int(response.headers["Retry-After"]) >= 1
    assert api.article(article["id"])["status"] == "running"


def test_pipeline_error_fails_the_job_readably(api, client, run_job, blank_pipeline, monkeypatch):
    def explode(text, published_at=None):
        raise ValueError("kaputter Satz")
    monkeypatch.setattr(blank_pipeline, "extract", explode)
    article = api.submit()
    assert run_job(article["job"]["id"]) is None
    response = client.get(f"/v1/jobs/{article['job']['id']}")
    assert "Retry-After" not in response.headers
    job = response.get_json()
    assert job["status"] == "failed" and job["finished_at"] and job["links"]["result"] is None
    assert job["error"]["type"] == "urn:lagebild:problem:extraction-failed"
    assert job["error"]["title"] and "ValueError: kaputter Satz" in job["error"]["detail"]
    assert "Traceback" not in job["error"]["detail"]
    stored = api.article(article["id"])
    assert stored["status"] == "failed" and stored["latest_version"] is None
    assert api.counts()["extractions"] == 0
    assert api.list_ids(status="failed") == [article["id"]]


def test_time_limit_fails_the_job(api, run_job, blank_pipeline, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(*_args, **_kwargs):
        raise SoftTimeLimitExceeded()
    monkeypatch.setattr(blank_pipeline, "extract", too_slow)
    article = api.submit()
    assert run_job(article["job"]["id"]) is None
    job = api.job(article["job"]["id"])
    assert job["status"] == "failed" and job["error"]["type"] == "urn:lagebild:problem:time-limit"
    assert "120 s" in job["error"]["detail"]
    assert api.article(article["id"])["status"] == "failed"


def test_failed_rerun_keeps_the_article_succeeded(api, client, run_job, blank_pipeline, monkeypatch):
    article = api.submit()
    run_job(article["job"]["id"])
    rerun = client.post(f"/v1/articles/{article['id']}/extractions").get_json()
    monkeypatch.setattr(blank_pipeline, "extract", lambda *a, **k: 1 / 0)
    run_job(rerun["id"])
    assert api.job(rerun["id"])["status"] == "failed"
    stored = api.article(article["id"])
    assert stored["status"] == "succeeded" and stored["latest_version"] == 1


def test_job_started_max_attempts_times_is_failed(api, client, run_job):
    article = api.submit()
    job_id = article["job"]["id"]
    for _ in range(domain.MAX_ATTEMPTS):  # each start that never finished: the worker was lost
        with api.app.extensions["lagebild_db"].transaction() as session:
            assert domain.start_job(session, job_id, lease=LOST) is not None
    assert api.job(job_id)["attempts"] == domain.MAX_ATTEMPTS
    _expire_leases(api)
    assert run_job(job_id) is None
    job = api.job(job_id)
    assert job["status"] == "failed" and job["error"]["type"] == "urn:lagebild:problem:attempts-exhausted"
    assert str(domain.MAX_ATTEMPTS) in job["error"]["detail"]
    assert api.article(article["id"])["status"] == "failed"
    assert api.counts()["extractions"] == 0


def test_job_below_max_attempts_still_runs(api, run_job):
    article = api.submit()
    for _ in range(domain.MAX_ATTEMPTS - 1):
        with api.app.extensions["lagebild_db"].transaction() as session:
            domain.start_job(session, article["job"]["id"], lease=LOST)
    _expire_leases(api)
    assert run_job(article["job"]["id"]) == 1
    assert api.job(article["job"]["id"])["attempts"] == domain.MAX_ATTEMPTS


def test_finished_job_is_not_run_again(api, run_job, blank_pipeline, monkeypatch):
    article = api.submit()
    monkeypatch.setattr(blank_pipeline, "extract", lambda *a, **k: 1 / 0)
    run_job(article["job"]["id"])
    monkeypatch.undo()
    assert run_job(article["job"]["id"]) is None
    assert api.job(article["job"]["id"])["status"] == "failed"


# --- delete -------------------------------------------------------------------------------------

def test_delete_article(api, client, run_job, problem):
    article = api.submit()
    run_job(article["job"]["id"])
    response = client.delete(f"/v1/articles/{article['id']}")
    assert response.status_code == 204 and response.data == b""
    problem(client.get(f"/v1/articles/{article['id']}"), 404, "not-found")
    problem(client.get(f"/v1/articles/{article['id']}/extractions"), 404, "not-found")
    problem(client.get(f"/v1/articles/{article['id']}/extractions/1"), 404, "not-found")
    problem(client.get(f"/v1/articles/{article['id']}/extractions/latest"), 404, "not-found")
    problem(client.delete(f"/v1/articles/{article['id']}"), 404, "not-found")
    job = api.job(article["job"]["id"])
    assert job["article_id"] is None and job["links"]["article"] is None and job["links"]["result"] is None
    assert job["status"] == "succeeded"
    assert api.list_ids() == []
    assert api.counts()["extractions"] == 0 and api.counts()["jobs"] == 1


def test_delete_only_that_article(api, client, run_job):
    keep, drop = api.submit("Bleibt."), api.submit("Geht.")
    run_job(keep["job"]["id"])
    assert client.delete(f"/v1/articles/{drop['id']}").status_code == 204
    assert api.list_ids() == [keep["id"]]
    assert client.get(f"/v1/articles/{keep['id']}/extractions/1").status_code == 200


def test_job_of_deleted_article_fails_when_it_runs(api, client, run_job):
    article = api.submit()
    assert client.delete(f"/v1/articles/{article['id']}").status_code == 204
    assert run_job(article["job"]["id"]) is None
    job = api.job(article["job"]["id"])
    assert job["status"] == "failed" and job["error"]["type"] == "urn:lagebild:problem:article-deleted"
    assert job["article_id"] is None and api.counts()["extractions"] == 0


# --- broker down and the sweep --------------------------------------------------------------------

@pytest.fixture
def broker_down(app, monkeypatch):
    """Every publish fails as on a refused connection (TaskQueue.publish catches it)."""
    def refuse(*_args, **_kwargs):
        raise ConnectionRefusedError("broker down")
    monkeypatch.setattr(app.extensions["lagebild_queue"], "send_task", refuse)


def test_broker_down_article_is_still_accepted(api, client, broker_down):
    response = client.post("/v1/articles", json={"text": "Trotzdem angenommen."})
    assert response.status_code == 202 and response.headers["Operation-Location"]
    job_id = response.get_json()["job"]["id"]
    assert api.job(job_id)["status"] == "queued"
    assert api.db_job(job_id).dispatched_at is None
    batch = client.post("/v1/articles:batch", json={"articles": [{"text": "A."}, {"text": "B."}]})
    assert batch.status_code == 202
    assert all(api.db_job(item["job"]["id"]).dispatched_at is None for item in batch.get_json()["items"])


def test_published_job_is_marked_dispatched(api, monkeypatch):
    """Marked in the transaction that stores it, published after the commit, the mark kept."""
    sent = []
    monkeypatch.setattr(api.app.extensions["lagebild_queue"], "send_task",
                        lambda name, args=None, **_kwargs: sent.append((name, args)))
    article = api.submit()
    assert sent == [("lagebild.extract", [article["job"]["id"]])]
    assert api.db_job(article["job"]["id"]).dispatched_at is not None


def test_unreachable_redis_broker_still_accepts(tmp_path, problem):
    from service.app import create_app
    from lagebild_core.settings import Settings
    from lagebild_core.store.models import Job as JobModel
    app = create_app(Settings(data_dir=str(tmp_path), broker_url="redis://127.0.0.1:1/0"))
    database = app.extensions["lagebild_db"]
    database.upgrade()
    from tests.api.conftest import create_key, keyed_client
    response = keyed_client(app, create_key(app)).post("/v1/articles", json={"text": "Redis ist weg."})
    assert response.status_code == 202
    with database.sessions() as session:
        job = session.get(JobModel, 1)
        assert job.id == response.get_json()["job"]["id"] and job.dispatched_at is None
    database.engine.dispose()


def test_sweep_republishes_undispatched_jobs(api, client, run_job, broker_down, monkeypatch):
    import workers.tasks as tasks
    article = api.submit()
    published = []
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args=None, **kw: published.append(args[0]))
    assert tasks.sweep.run() == 0  # just accepted: the API may still be publishing it
    assert published == []
    with api.app.extensions["lagebild_db"].transaction() as session:
        session.execute(update(Job).values(created_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)))
    assert tasks.sweep.run() == 1
    assert published == [article["job"]["id"]]
    assert api.db_job(article["job"]["id"]).dispatched_at is not None
    assert tasks.sweep.run() == 0 and published == [article["job"]["id"]]  # dispatched now
    assert run_job(published[0]) == 1
    assert api.job(article["job"]["id"])["status"] == "succeeded"


class _Crash(BaseException):
    """The API process lost between the commit and the publish (no handler catches it)."""


def test_a_job_whose_api_process_died_before_publishing_is_republished(api, client, run_job, monkeypatch):
    """A new job is committed marked dispatched; if its message never left the API process, the
    sweep finds it by the lost-message rules: once a lease has passed while the broker holds
    fewer messages than such jobs, or after LAGEBILD_REQUEUE_AFTER_SECONDS whatever the broker says."""
    import workers.tasks as tasks

    def crash(*_args, **_kwargs):
        raise _Crash()
    monkeypatch.setattr(api.app.extensions["lagebild_queue"], "send_task", crash)
    with pytest.raises(_Crash):
        client.post("/v1/articles", json={"text": "Angenommen, nie veröffentlicht."})
    with api.session() as session:
        job = session.scalars(select(Job)).one()
    assert job.status == "queued" and job.dispatched_at is not None  # committed, the message lost
    published, depth = [], {"messages": 0}
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args=None, **kw: published.append(args[0]))
    monkeypatch.setattr(tasks, "queue_depth", lambda _app: depth["messages"])
    assert tasks.sweep.run() == 0  # within a lease: the API may still be publishing it

    def age(seconds):
        with api.app.extensions["lagebild_db"].transaction() as session:
            session.execute(update(Job).values(dispatched_at=dt.datetime.now(dt.timezone.utc)
                                               - dt.timedelta(seconds=seconds)))
    age(40)
    depth["messages"] = 1  # the broker holds as many messages as such jobs: nothing looks lost yet
    assert tasks.sweep.run() == 0
    depth["messages"] = 0
    assert tasks.sweep.run() == 1 and published == [job.id]
    age(api.app.config["LAGEBILD"].requeue_after_seconds + 1)
    depth["messages"] = 1  # a broker that looks full does not hide it past LAGEBILD_REQUEUE_AFTER_SECONDS
    assert tasks.sweep.run() == 1 and published == [job.id, job.id]


def test_an_accepted_article_stays_accepted_when_the_mark_cannot_be_cleared(api, client, broker_down, monkeypatch):
    """Broker and database both failing after the commit: still 202; the job keeps its mark and
    the sweep's lost-message rules find it (the test above)."""
    def refuse(*_args, **_kwargs):
        raise ConnectionRefusedError("database gone too")
    monkeypatch.setattr(domain, "mark_undispatched", refuse)
    response = client.post("/v1/articles", json={"text": "Trotzdem angenommen."})
    assert response.status_code == 202
    job = api.db_job(response.get_json()["job"]["id"])
    assert job.status == "queued" and job.dispatched_at is not None


def test_sweep_republishes_stalled_jobs_and_leaves_finished_ones(api, run_job, monkeypatch):
    import workers.tasks as tasks
    stalled, finished = api.submit("Hängt."), api.submit("Fertig.")
    run_job(finished["job"]["id"])
    old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    with api.app.extensions["lagebild_db"].transaction() as session:
        session.execute(update(Job).values(created_at=old, dispatched_at=old))
    published = []
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args=None, **kw: published.append(args[0]))
    assert tasks.sweep.run() == 1 and published == [stalled["job"]["id"]]


def test_sweep_republishes_a_stalled_running_job_once_per_period(api, run_job, monkeypatch):
    """A job left `running` by a lost worker is published again, but not on every beat:
    each extra copy would start the job again and count as an attempt."""
    import workers.tasks as tasks
    article = api.submit()
    with api.app.extensions["lagebild_db"].transaction() as session:
        domain.start_job(session, article["job"]["id"])
        old = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
        session.execute(update(Job).values(created_at=old, dispatched_at=old, started_at=old, heartbeat_at=old))
    published = []
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args=None, **kw: published.append(args[0]))
    assert tasks.sweep.run() == 1
    assert tasks.sweep.run() == 0 and published == [article["job"]["id"]]


def test_a_copy_of_a_running_jobs_message_is_dropped_while_its_lease_lives(api, run_job):
    article = api.submit()
    with api.app.extensions["lagebild_db"].transaction() as session:
        assert domain.start_job(session, article["job"]["id"]) is not None
    assert run_job(article["job"]["id"]) is None  # the first worker still renews the lease
    assert api.job(article["job"]["id"])["attempts"] == 1 and api.counts()["extractions"] == 0
    _expire_leases(api)  # ... until it is gone
    assert run_job(article["job"]["id"]) == 1
    assert api.job(article["job"]["id"])["attempts"] == 2


def test_the_sweep_republishes_a_job_whose_worker_stopped_renewing_its_lease(api, run_job, monkeypatch):
    import workers.tasks as tasks
    alive, lost = api.submit("Läuft."), api.submit("Verloren.")
    seconds_ago = lambda s: dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=s)  # noqa: E731
    with api.app.extensions["lagebild_db"].transaction() as session:
        for article in (alive, lost):
            domain.start_job(session, article["job"]["id"])
        session.execute(update(Job).values(dispatched_at=seconds_ago(45), started_at=seconds_ago(45)))
        session.execute(update(Job).where(Job.id == lost["job"]["id"]).values(heartbeat_at=seconds_ago(31)))
    published = []
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args=None, **kw: published.append(args[0]))
    assert tasks.sweep.run() == 1 and published == [lost["job"]["id"]]
    assert tasks.sweep.run() == 0  # published again just now: not on every beat


@pytest.mark.parametrize("depth, republished", [(0, 2), (1, 2), (2, 0), (None, 0)])
def test_the_sweep_republishes_queued_jobs_the_broker_has_lost(api, run_job, monkeypatch, depth, republished):
    """Queued jobs published more than a lease ago while the broker holds fewer messages than
    that: the broker lost them (Redis restarted without its data); not with the broker away."""
    import workers.tasks as tasks
    api.submit("Eins."), api.submit("Zwei.")
    with api.app.extensions["lagebild_db"].transaction() as session:
        session.execute(update(Job).values(dispatched_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=40)))
    published = []
    monkeypatch.setattr(tasks.extract, "apply_async", lambda args=None, **kw: published.append(args[0]))

    def depth_of(_app):
        if depth is None:
            raise ConnectionError("broker away")
        return depth
    monkeypatch.setattr(tasks, "queue_depth", depth_of)
    assert tasks.sweep.run() == republished and len(published) == republished


def test_the_worker_renews_the_lease_while_it_extracts(api, run_job, blank_pipeline, monkeypatch):
    import time

    import dataclasses

    import workers.tasks as tasks
    # run_job's teardown puts the settings back
    tasks.celery.conf.lagebild_settings = dataclasses.replace(tasks.settings(), job_lease_seconds=1)
    article = api.submit()
    extract = blank_pipeline.extract
    monkeypatch.setattr(blank_pipeline, "extract", lambda *a, **k: (time.sleep(1.5), extract(*a, **k))[1])
    assert run_job(article["job"]["id"]) == 1
    job = api.db_job(article["job"]["id"])
    assert job.heartbeat_at > job.started_at + dt.timedelta(seconds=0.3)


def test_a_transient_error_storing_the_version_frees_the_job_for_the_tasks_retry(api, run_job, monkeypatch):
    """Two workers creating the same new registry actor at once: one insert fails (unique key)
    and the task is retried; the retry must run the job, not drop it as a copy under the lease."""
    from sqlalchemy.exc import IntegrityError

    import workers.tasks as tasks
    article = api.submit()
    store = domain.store_extraction

    def race(*_args, **_kwargs):
        raise IntegrityError("INSERT INTO registry_actors", {}, Exception("uq_actor_tenant_id"))
    monkeypatch.setattr(tasks.domain, "store_extraction", race)
    with pytest.raises(IntegrityError):
        tasks._extract(article["job"]["id"])
    job = api.job(article["job"]["id"])
    assert job["status"] == "queued" and job["attempts"] == 0
    monkeypatch.setattr(tasks.domain, "store_extraction", store)
    assert run_job(article["job"]["id"]) == 1  # the retry, within the lease
    assert api.job(article["job"]["id"])["attempts"] == 1 and api.counts()["extractions"] == 1
