"""Request ids, JSON log lines that carry them, and the Prometheus metrics at /metrics."""
from __future__ import annotations

import json
import logging

import pytest

from lagebild_core import logs


class Lines(logging.Handler):
    """Formats records as they are written (the bound context is only there at that moment)."""

    def __init__(self):
        super().__init__()
        self.setFormatter(logs.JsonFormatter())
        self.lines: list[dict] = []

    def emit(self, record):
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def access_lines():
    handler = Lines()
    logger = logging.getLogger("lagebild.access")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_a_sane_request_id_is_kept_and_a_missing_or_odd_one_replaced(client):
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == "abc-123"
    generated = client.get("/healthz").headers["X-Request-Id"]
    assert len(generated) == 32
    odd = client.get("/healthz", headers={"X-Request-Id": "a b\" <script>"}).headers["X-Request-Id"]
    assert odd != "a b\" <script>" and len(odd) == 32


def test_every_answer_is_one_json_access_line_with_request_id_route_and_tenant(api, client, access_lines):
    article = api.submit()
    client.get("/v1/articles/nope", headers={"X-Request-Id": "req-42"})
    post, missing = access_lines[-2:]
    assert post["route"] == "/v1/articles" and post["method"] == "POST" and post["status"] == 202
    assert post["tenant"] == "tenant-a" and post["duration_ms"] >= 0 and post["request_id"]
    assert missing["request_id"] == "req-42" and missing["status"] == 404
    assert missing["route"] == "/v1/articles/<string:article_id>"
    assert article["id"] not in json.dumps(missing)


def test_the_request_id_travels_with_the_extraction_message(api, client, monkeypatch):
    sent = []
    monkeypatch.setattr("service.queue.send_task", lambda app, name, args, **options: sent.append(options))
    response = client.post("/v1/articles", json={"text": "Ein Text."}, headers={"X-Request-Id": "req-7"})
    assert response.status_code == 202
    assert sent[-1]["headers"] == {"lagebild_request_id": "req-7"}


def test_json_lines_carry_the_bound_context_and_the_error():
    handler = Lines()
    logger = logging.getLogger("lagebild.test")
    logger.addHandler(handler)
    try:
        with logs.context(job_id="j1", article_id=None):
            with logs.context(request_id="r1"):
                try:
                    raise ValueError("boom")
                except ValueError:
                    logger.exception("failed %s", "here", extra={"version": 3})
        logger.error("outside")
    finally:
        logger.removeHandler(handler)
    inside, outside = handler.lines
    assert inside["job_id"] == "j1" and inside["request_id"] == "r1" and "article_id" not in inside
    assert inside["message"] == "failed here" and inside["version"] == 3 and inside["error"] == "ValueError"
    assert "Traceback" in inside["traceback"] and inside["level"] == "error"
    assert "job_id" not in outside


def test_metrics_are_open_and_count_requests_jobs_and_the_queue(api, client):
    api.submit()
    api.submit(text="Ein zweiter Text.")
    client.get("/v1/articles")
    response = client.get("/metrics", headers={"Authorization": ""})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert 'lagebild_http_requests_total{method="POST",route="/v1/articles",status="202"}' in text
    assert 'lagebild_http_request_duration_seconds_bucket{le="0.015",method="GET",route="/v1/articles"}' in text
    assert 'lagebild_jobs{status="queued"} 2.0' in text
    assert "lagebild_queue_depth " in text
    assert "tenant-a" not in text


def test_the_pipeline_reports_the_time_of_each_stage(blank_pipeline):
    seen = []
    blank_pipeline.observe_stage = lambda stage, seconds: seen.append((stage, seconds))
    try:
        blank_pipeline.extract("Die Ministerin sagte am Montag, sie reise nach Rom.")
    finally:
        blank_pipeline.observe_stage = None
    assert [stage for stage, _ in seen] == ["parse", "actors", "events", "quotes"]
    assert all(seconds >= 0 for _, seconds in seen)
