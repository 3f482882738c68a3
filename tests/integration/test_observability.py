"""Through the real processes: a request id follows an article from its POST to its stored version
in the API's and the worker's JSON lines, and /metrics adds up the API's and the workers' metrics."""
from __future__ import annotations

import re
import time
import uuid

import pytest

pytestmark = pytest.mark.integration


def _wait_lines(stack, name: str, wanted, timeout: float = 10.0) -> list[dict]:
    """The lines of a process's log that `wanted` accepts, once there is one. A process writes its
    line after the commit or the response it reports, so a client that saw the result first may
    read the log a few milliseconds too early."""
    deadline = time.monotonic() + timeout
    while True:
        found = [line for line in stack.json_lines(name) if wanted(line)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_a_request_id_follows_an_article_to_its_stored_version(stack):
    request_id = f"trace-{uuid.uuid4().hex[:12]}"
    accepted = stack.post("/v1/articles", json={"text": "Die Außenministerin reiste am Montag nach Paris."},
                          headers={"X-Request-Id": request_id})
    assert accepted.headers["X-Request-Id"] == request_id
    job = stack.wait_job(accepted.json()["job"]["links"]["self"])
    assert job["status"] == "succeeded"
    api = _wait_lines(stack, "api", lambda line: line.get("request_id") == request_id
                      and line.get("route") == "/v1/articles")
    assert any(line["status"] == 202 for line in api)
    stored = _wait_lines(stack, "worker", lambda line: line.get("job_id") == job["id"]
                         and line.get("message") == "extraction stored")
    assert stored and stored[0]["request_id"] == request_id
    assert stored[0]["article_id"] == accepted.json()["id"] and stored[0]["version"] == 1


def test_metrics_add_up_every_api_and_worker_process(stack):
    accepted = stack.post("/v1/articles", json={"text": "Der Kanzler sprach am Freitag in Berlin."})
    stack.wait_job(accepted.json()["job"]["links"]["self"])
    text = stack.http.get(stack.url("/metrics"), timeout=10).text
    succeeded = re.search(r'^lagebild_extractions_total\{outcome="succeeded"\} (\S+)$', text, re.M)
    assert succeeded and float(succeeded.group(1)) >= 1
    for stage in ("parse", "actors", "events", "quotes"):
        assert f'lagebild_extraction_stage_seconds_count{{stage="{stage}"}}' in text
    assert re.search(r'^lagebild_jobs\{status="succeeded"\} [1-9]', text, re.M)
    assert re.search(r"^lagebild_queue_depth \d", text, re.M)
    assert 'lagebild_http_requests_total{method="POST",route="/v1/articles",status="202"}' in text


def test_a_worker_serves_its_own_metrics_when_given_a_port(tmp_path):
    """Workers in other containers or hosts are scraped on their own port."""
    import requests

    from tests.support.live import LiveService, free_port
    port = free_port()
    service = LiveService({"LAGEBILD_DATA_DIR": str(tmp_path / "var"), "LAGEBILD_DATABASE_URL": "",
                           "LAGEBILD_BROKER_URL": "", "LAGEBILD_SPACY_MODEL": "blank:de",
                           "LAGEBILD_WORKER_METRICS_PORT": str(port)}, tmp_path)
    service.run("db", "upgrade")
    service.use_key("metrics")
    service.start("api", "serve", "--no-worker")
    service.start("worker", "worker", "--concurrency", "1")
    try:
        service.wait_ready()
        accepted = service.post("/v1/articles", json={"text": "Die Ministerin reiste nach Rom."})
        assert service.wait_job(accepted.json()["job"]["links"]["self"])["status"] == "succeeded"
        text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        assert re.search(r'^lagebild_extractions_total\{outcome="succeeded"\} 1\.0$', text, re.M)
    finally:
        service.stop()
