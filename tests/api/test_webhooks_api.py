"""Webhooks through the API and the worker tasks run in-process: subscriptions (create, list, read,
delete, 422s, tenants, the secret shown once), and deliveries to a real local receiver (signed,
after the commit, retried on the schedule, given up, the subscription disabled)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from lagebild_core.store.models import Extraction, utcnow
from lagebild_core.store.webhooks import WebhookDelivery
from tests.support.webhooks import Receiver

EVENTS = ["extraction.created", "job.failed"]


@pytest.fixture
def allow_private(app, settings, monkeypatch):
    """The API and the in-process worker allow the local receiver, with a fast backoff schedule."""
    relaxed = dataclasses.replace(settings, webhook_allow_private=True, webhook_backoff_seconds="0,0",
                                  webhook_disable_after=2)
    monkeypatch.setitem(app.config, "LAGEBILD", relaxed)
    return relaxed


@pytest.fixture
def worker(allow_private, run_job, monkeypatch):
    """Runs jobs and webhook deliveries in-process; the messages the worker would publish are kept
    in `worker.published` (nothing reaches a broker)."""
    import workers.tasks as tasks

    class Worker:
        published: list[tuple[str, int, float | None]] = []

        def run(self, job_id):
            return run_job(job_id)

        def deliver_all(self):
            """Run every published delivery message, in order, until none is left."""
            while self.published:
                delivery_id, attempts, _countdown = self.published.pop(0)
                tasks.deliver_webhook.run(delivery_id, attempts)

    worker = Worker()
    worker.published = []
    monkeypatch.setattr(tasks, "publish_deliveries", lambda items, countdown=None: worker.published.extend(
        (d, a, countdown) for d, a in items))
    monkeypatch.setitem(tasks.celery.conf, "lagebild_settings", allow_private)
    return worker


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def create(client, url, events=EVENTS, status=201):
    response = client.post("/v1/webhooks", json={"url": url, "events": events})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


# --- subscriptions --------------------------------------------------------------------------------

def test_create_shows_the_secret_once(client, allow_private):
    response = client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook", "events": EVENTS})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"id", "url", "events", "secret", "created_at", "status", "links"}
    assert body["secret"].startswith("whsec_") and body["status"] == "active" and body["events"] == EVENTS
    assert response.headers["Location"] == f"/v1/webhooks/{body['id']}" == body["links"]["self"]
    again = client.get(body["links"]["self"]).get_json()
    assert "secret" not in again and again == {k: v for k, v in body.items() if k != "secret"}
    listed = client.get("/v1/webhooks").get_json()["items"]
    assert [item["id"] for item in listed] == [body["id"]] and "secret" not in listed[0]
    assert body["secret"] not in json.dumps(client.get(body["links"]["deliveries"]).get_json())


def test_list_is_cursor_paginated_newest_first(client, allow_private):
    ids = [create(client, f"http://127.0.0.1:9/{n}")["id"] for n in range(3)]
    first = client.get("/v1/webhooks?limit=2").get_json()
    assert [w["id"] for w in first["items"]] == ids[::-1][:2] and first["next_cursor"]
    second = client.get(first["next"]).get_json()
    assert [w["id"] for w in second["items"]] == [ids[0]] and second["next"] is None


def test_delete_then_404(client, allow_private, problem):
    webhook = create(client, "http://127.0.0.1:9/hook")
    response = client.delete(webhook["links"]["self"])
    assert response.status_code == 204 and response.data == b""
    problem(client.get(webhook["links"]["self"]), 404, "not-found")
    problem(client.delete(webhook["links"]["self"]), 404, "not-found")
    problem(client.get(webhook["links"]["deliveries"]), 404, "not-found")


def test_other_tenants_get_404_and_do_not_see_it(client, client_of, allow_private, problem):
    webhook = create(client, "http://127.0.0.1:9/hook")
    other = client_of("tenant-b")
    for response in (other.get(webhook["links"]["self"]), other.delete(webhook["links"]["self"]),
                     other.get(webhook["links"]["deliveries"])):
        problem(response, 404, "not-found")
    assert other.get("/v1/webhooks").get_json()["items"] == []
    assert client.get(webhook["links"]["self"]).status_code == 200


def test_read_keys_cannot_create_or_delete(client, client_of, allow_private, problem):
    webhook = create(client, "http://127.0.0.1:9/hook")
    reader = client_of("tenant-a", "read")
    problem(reader.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/x", "events": EVENTS}), 403, "forbidden")
    problem(reader.delete(webhook["links"]["self"]), 403, "forbidden")
    assert reader.get(webhook["links"]["self"]).status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"events": EVENTS}, "url"),
    ({"url": "http://127.0.0.1:9/"}, "events"),
    ({"url": "http://127.0.0.1:9/", "events": []}, "events"),
    ({"url": "http://127.0.0.1:9/", "events": ["article.deleted"]}, "events[0]"),
    ({"url": "ftp://127.0.0.1/", "events": EVENTS}, "url"),
    ({"url": "not a url", "events": EVENTS}, "url"),
    ({"url": "http://127.0.0.1:9/", "events": EVENTS, "secret": "mine"}, "secret"),
])
def test_invalid_subscriptions_are_422(client, allow_private, problem, body, field):
    problem(client.post("/v1/webhooks", json=body), 422, "validation-error", field=field)
    assert client.get("/v1/webhooks").get_json()["items"] == []


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/hook", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/", "http://localhost:8000/hook", "http://[fd00:ec2::254]/",
])
def test_private_destinations_are_refused(client, problem, url):
    body = problem(client.post("/v1/webhooks", json={"url": url, "events": EVENTS}), 422, "validation-error",
                   field="url")
    assert "not a public address" in body["detail"]
    assert client.get("/v1/webhooks").get_json()["items"] == []


def test_an_unresolvable_host_is_refused(client, problem):
    problem(client.post("/v1/webhooks", json={"url": "https://no-such-host.invalid/hook", "events": EVENTS}),
            422, "validation-error", field="url")


# --- deliveries ----------------------------------------------------------------------------------

def test_a_finished_job_is_delivered_signed_once(api, client, worker, receiver):
    webhook = create(client, receiver.url + "/hook")
    article = api.submit()
    assert worker.run(article["job"]["id"]) == 1
    assert len(worker.published) == 1
    worker.deliver_all()
    [request] = receiver.verified(webhook["secret"])
    assert request["path"] == "/hook" and request["headers"]["webhook-id"].startswith("msg_")
    event = request["event"]
    assert event["type"] == "extraction.created" and event["timestamp"] == api.job(article["job"]["id"])["finished_at"]
    assert event["data"] == {"article_id": article["id"], "job_id": article["job"]["id"], "version": 1, "links": {
        "article": f"/v1/articles/{article['id']}", "extraction": f"/v1/articles/{article['id']}/extractions/1",
        "job": f"/v1/jobs/{article['job']['id']}"}}
    for link in event["data"]["links"].values():
        assert client.get(link).status_code == 200
    [attempt] = client.get(webhook["links"]["deliveries"]).get_json()["items"]
    assert attempt["event_id"] == request["headers"]["webhook-id"] and attempt["type"] == "extraction.created"
    assert attempt["status_code"] == 200 and attempt["outcome"] == "succeeded" and attempt["attempt"] == 1
    assert attempt["error"] is None


def test_the_delivery_is_published_only_after_the_version_is_committed(api, client, worker, receiver, monkeypatch):
    import workers.tasks as tasks
    create(client, receiver.url)
    seen = []

    def publish(items, countdown=None):
        assert items
        with api.session() as other:  # another connection sees only what was committed
            seen.append(other.scalar(select(Extraction.version).where(Extraction.job_id == job_id)))
    monkeypatch.setattr(tasks, "publish_deliveries", publish)
    job_id = api.submit()["job"]["id"]
    worker.run(job_id)
    assert seen == [1]


def test_links_are_absolute_with_a_public_base_url(api, client, worker, receiver, monkeypatch):
    import workers.tasks as tasks
    monkeypatch.setitem(tasks.celery.conf, "lagebild_settings", dataclasses.replace(
        tasks.celery.conf.lagebild_settings, public_base_url="https://lagebild.example/"))
    webhook = create(client, receiver.url)
    article = api.submit()
    worker.run(article["job"]["id"])
    worker.deliver_all()
    links = receiver.verified(webhook["secret"])[0]["event"]["data"]["links"]
    assert links["job"] == f"https://lagebild.example/v1/jobs/{article['job']['id']}"


def test_a_failed_job_is_delivered_as_job_failed(api, client, worker, receiver, blank_pipeline, monkeypatch):
    webhook = create(client, receiver.url, events=["job.failed"])
    create(client, receiver.url + "/versions-only", events=["extraction.created"])
    monkeypatch.setattr(blank_pipeline, "extract", lambda *a, **k: 1 / 0)
    article = api.submit()
    worker.run(article["job"]["id"])
    worker.deliver_all()
    [request] = receiver.verified(webhook["secret"])
    assert request["path"] == "/" and request["event"]["type"] == "job.failed"
    data = request["event"]["data"]
    assert data["job_id"] == article["job"]["id"] and data["article_id"] == article["id"]
    assert data["error"] == api.job(article["job"]["id"])["error"] and "ZeroDivisionError" in data["error"]["detail"]
    assert "version" not in data and data["links"]["extraction"] is None


def test_an_unreadable_article_is_announced_as_job_failed(api, client, worker, receiver, monkeypatch):
    from lagebild_core import domain
    webhook = create(client, receiver.url, events=["job.failed"])
    article = api.submit()

    def unreadable(*_args, **_kwargs):
        raise RecursionError("maximum recursion depth exceeded while decoding a JSON object")
    monkeypatch.setattr(domain, "start_job", unreadable)
    worker.run(article["job"]["id"])
    worker.deliver_all()
    [request] = receiver.verified(webhook["secret"])
    assert request["event"]["data"]["error"]["type"].endswith("unreadable-article")


def test_too_many_webhooks_is_409(client, allow_private, problem):
    from lagebild_core.webhooks import MAX_SUBSCRIPTIONS
    for number in range(MAX_SUBSCRIPTIONS):
        create(client, f"http://127.0.0.1:9/{number}")
    problem(client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/x", "events": EVENTS}), 409, "conflict")


def test_another_tenants_articles_are_not_announced(api, client, client_of, worker, receiver, app):
    from tests.api.conftest import ApiHelper
    create(client, receiver.url)
    other = ApiHelper(app, client_of("tenant-b"))
    worker.run(other.submit()["job"]["id"])
    assert worker.published == [] and receiver.requests == []


def test_retries_follow_the_schedule_then_succeed(api, client, worker, allow_private):
    import workers.tasks as tasks
    receiver = Receiver(statuses=[500, 503, 200])
    try:
        webhook = create(client, receiver.url)
        worker.run(api.submit()["job"]["id"])
        countdowns = []
        while worker.published:
            delivery_id, attempts, countdown = worker.published.pop(0)
            countdowns.append(countdown)
            tasks.deliver_webhook.run(delivery_id, attempts)
        assert countdowns == [None, 0.0, 0.0]  # the first right after the commit, then the backoff "0,0"
        ids = {r["headers"]["webhook-id"] for r in receiver.verified(webhook["secret"])}
        assert len(receiver.requests) == 3 and len(ids) == 1
        attempts = client.get(webhook["links"]["deliveries"]).get_json()["items"]
        assert [(a["attempt"], a["status_code"], a["outcome"]) for a in attempts] == [
            (3, 200, "succeeded"), (2, 503, "retrying"), (1, 500, "retrying")]
        assert "HTTP 500" in attempts[2]["error"]
    finally:
        receiver.close()


def test_given_up_events_disable_the_webhook(api, client, worker):
    receiver = Receiver(statuses=[500])
    try:
        webhook = create(client, receiver.url)
        for _ in range(2):  # webhook_disable_after=2, each event tried 1 + len("0,0") times
            worker.run(api.submit()["job"]["id"])
            worker.deliver_all()
        assert len(receiver.requests) == 6
        state = client.get(webhook["links"]["self"]).get_json()
        assert state["status"] == "disabled" and state["consecutive_failures"] == 2
        assert state["disabled_at"] and "2 events in a row" in state["disabled_reason"]
        outcomes = [a["outcome"] for a in client.get(webhook["links"]["deliveries"]).get_json()["items"]]
        assert outcomes.count("failed") == 2 and outcomes.count("retrying") == 4
        worker.run(api.submit()["job"]["id"])
        assert worker.published == []  # a disabled webhook gets no new events
    finally:
        receiver.close()


def test_a_success_resets_the_failure_count(api, client, worker):
    receiver = Receiver(statuses=[500, 500, 500, 200])
    try:
        webhook = create(client, receiver.url)
        worker.run(api.submit()["job"]["id"])
        worker.deliver_all()
        assert client.get(webhook["links"]["self"]).get_json()["consecutive_failures"] == 1
        worker.run(api.submit()["job"]["id"])
        worker.deliver_all()
        state = client.get(webhook["links"]["self"]).get_json()
        assert state["consecutive_failures"] == 0 and state["status"] == "active"
    finally:
        receiver.close()


def test_duplicate_and_stale_messages_send_nothing(api, client, worker, receiver):
    import workers.tasks as tasks
    create(client, receiver.url)
    worker.run(api.submit()["job"]["id"])
    delivery_id, attempts, _ = worker.published[0]
    for _ in range(3):  # the same message three times (redelivery, a sweep copy)
        tasks.deliver_webhook.run(delivery_id, attempts)
    assert len(receiver.requests) == 1


def test_a_deleted_webhook_drops_its_pending_deliveries(api, client, worker, receiver):
    webhook = create(client, receiver.url)
    worker.run(api.submit()["job"]["id"])
    assert client.delete(webhook["links"]["self"]).status_code == 204
    worker.deliver_all()
    assert receiver.requests == []
    with api.session() as session:
        assert session.scalars(select(WebhookDelivery)).all() == []


def test_the_sweep_republishes_lost_deliveries(api, client, worker, receiver):
    import workers.tasks as tasks
    create(client, receiver.url)
    worker.run(api.submit()["job"]["id"])
    delivery_id, _, _ = worker.published.pop(0)  # the message is lost
    assert tasks.sweep.run() == 0  # published just now: not yet lost
    with api.app.extensions["lagebild_db"].transaction() as session:  # a worker died holding its lease
        session.execute(update(WebhookDelivery).values(
            attempts=1, locked_until=utcnow() - dt.timedelta(seconds=1)))
    assert tasks.sweep.run() == 1 and worker.published == [(delivery_id, 1, None)]
    assert tasks.sweep.run() == 0  # republished once, not on every sweep
    worker.deliver_all()
    assert len(receiver.requests) == 1
