"""Issue 14 measured against the real service (gunicorn's front door + a Celery worker, on
PostgreSQL and Redis): authentication, tenant isolation on every resource, rate limits, slow and
broken clients, gunicorn's own error answers, and the hostile inputs. docs/security.md lists
what each test stands for."""
from __future__ import annotations

import base64
import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.security.conftest import READ_LIMIT

pytestmark = [pytest.mark.integration, pytest.mark.e2e]

SAMPLE = ("Russlands Verteidigungsminister Andrey Belousov traf am Dienstag in Peking Zhang Youxia. "
          "„Wir teilen gemeinsame Ansichten“, sagte Belousov.")


class Client:
    """requests with one tenant's key against the live service."""

    def __init__(self, live, tenant: str | None, scope: str = "write"):
        self.live, self.http = live, requests.Session()
        if tenant:
            self.http.headers["Authorization"] = f"Bearer {live.create_key(tenant, scope)}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, self.live.url(path), timeout=30, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def wait_job(self, monitor: str, timeout: float = 150) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = self.get(monitor).json()
            if job["status"] in ("succeeded", "failed"):
                return job
            time.sleep(0.3)
        raise AssertionError(f"job {monitor} not finished after {timeout} s: {job}\n{self.live.log('worker')}")


def assert_problem(response: requests.Response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["type"].startswith("urn:lagebild:problem:")
    if slug:
        assert body["type"].endswith(":" + slug), body
    assert "Traceback" not in response.text and "<html" not in response.text.lower()
    return body


@pytest.fixture(scope="module")
def tenant_a(live):
    """Tenant A with one extracted article (its job, version 1, actors and events)."""
    client = Client(live, "tenant-a")
    accepted = client.post("/v1/articles", json={"text": SAMPLE, "external_id": "a-1",
                                                 "published_at": "2024-10-15"})
    assert accepted.status_code == 202, accepted.text
    job = client.wait_job(accepted.headers["Operation-Location"])
    assert job["status"] == "succeeded", job
    client.article, client.job = accepted.json(), job
    return client


# --- authentication ----------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/v1/articles"), ("POST", "/v1/articles"), ("POST", "/v1/articles:batch"),
    ("GET", "/v1/articles/x"), ("DELETE", "/v1/articles/x"), ("GET", "/v1/articles/x/extractions"),
    ("POST", "/v1/articles/x/extractions"), ("GET", "/v1/jobs/x"), ("GET", "/v1/actors"),
    ("GET", "/v1/actors/x"), ("GET", "/v1/events"), ("GET", "/v1/quotes"), ("GET", "/v1/actors/x/relations"),
])
def test_no_key_or_an_unknown_key_is_401(live, method, path):
    for headers in ({}, {"Authorization": "Bearer lgb_not-a-key"}, {"Authorization": "Basic dTpw"}):
        response = requests.request(method, live.url(path), headers=headers, json={"text": "x"}, timeout=10)
        assert_problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_probes_and_the_contract_stay_open(live):
    for path in ("/healthz", "/readyz", "/openapi.yaml", "/docs"):
        assert requests.get(live.url(path), timeout=10).status_code == 200, path


def test_a_read_only_key_cannot_write(live):
    reader = Client(live, "tenant-r", scope="read")
    assert reader.get("/v1/articles").status_code == 200
    assert_problem(reader.post("/v1/articles", json={"text": SAMPLE}), 403, "forbidden")


# --- tenants -----------------------------------------------------------------------------------

def test_tenants_are_isolated_on_every_resource(live, tenant_a):
    article, job = tenant_a.article, tenant_a.job
    actors = tenant_a.get("/v1/actors").json()["items"]
    events = tenant_a.get("/v1/events").json()["items"]
    stories = tenant_a.get("/v1/stories").json()["items"]
    assert actors and events and stories, "the sample names actors and an event (a story of one report)"
    other = Client(live, "tenant-b")
    base = f"/v1/articles/{article['id']}"
    for response in (other.get(base), other.get(f"{base}/extractions"), other.get(f"{base}/extractions/1"),
                     other.get(f"{base}/extractions/latest"), other.get(f"/v1/jobs/{job['id']}"),
                     other.post(f"{base}/extractions"), other.delete(base),
                     other.get(f"/v1/actors/{actors[0]['id']}"), other.get(f"/v1/stories/{stories[0]['id']}"),
                     other.get(f"/v1/actors/{actors[0]['id']}/relations")):
        assert_problem(response, 404, "not-found")
    assert other.get("/v1/articles").json()["items"] == []
    assert other.get("/v1/articles", params={"external_id": "a-1"}).json()["items"] == []
    assert other.get("/v1/actors").json()["items"] == []
    assert other.get("/v1/actors", params={"q": actors[0]["name"]}).json()["items"] == []
    assert other.get("/v1/events").json()["items"] == []
    assert other.get("/v1/events", params={"actor_id": actors[0]["id"]}).json()["items"] == []
    assert other.get("/v1/stories").json()["items"] == []
    assert other.get("/v1/events", params={"story": stories[0]["id"]}).json()["items"] == []
    assert tenant_a.get("/v1/quotes").json()["items"], "the sample has a quote"
    assert other.get("/v1/quotes").json()["items"] == []
    assert other.get("/v1/quotes", params={"actor": actors[0]["id"]}).json()["items"] == []
    assert other.get("/v1/quotes", params={"article": article["id"]}).json()["items"] == []
    assert other.get("/v1/events", headers={"Accept": "text/csv"}).text.count("\n") == 1  # the header only
    assert other.get("/v1/quotes", headers={"Accept": "text/csv"}).text.count("\n") == 1
    assert other.get("/v1/events", headers={"Accept": "application/geo+json"}).json()["features"] == []
    # B's re-run and delete did nothing to A's article
    mine = tenant_a.get(base).json()
    assert mine["latest_version"] == 1 and mine["status"] == "succeeded"
    assert [v["version"] for v in tenant_a.get(f"{base}/extractions").json()["items"]] == [1]


# --- rate limits -------------------------------------------------------------------------------

def test_over_the_read_limit_is_429_with_retry_after(live):
    client = Client(live, "tenant-limits")
    statuses = []
    for _ in range(READ_LIMIT + 5):
        response = client.get("/v1/articles")
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    body = assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["RateLimit-Limit"] == str(READ_LIMIT) and response.headers["RateLimit-Remaining"] == "0"
    assert statuses.count(200) == READ_LIMIT, statuses
    assert body["detail"]
    # the budget is per key: another key of the same service still reads
    assert Client(live, "tenant-limits").get("/v1/articles").status_code == 200


# --- slow and broken clients -------------------------------------------------------------------

def trickle(port: int, payload: bytes, delay: float, stop: threading.Event, closed: list) -> None:
    """Send `payload` a byte at a time; note when the server closes the connection."""
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            for byte in payload:
                if stop.is_set():
                    return
                sock.sendall(bytes([byte]))
                time.sleep(delay)
            sock.recv(1)
    except OSError:
        pass
    closed.append(time.monotonic() - started)


def test_100_slow_clients_do_not_delay_anyone_else(live):
    client = Client(live, "tenant-slow")
    head = b"GET /v1/articles HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    stop, closed = threading.Event(), []
    threads = [threading.Thread(target=trickle, args=(live.port, head, 0.25, stop, closed), daemon=True)
               for _ in range(100)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # all 100 connected and trickling
        latencies = []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            started = time.monotonic()
            assert client.get("/v1/articles", params={"limit": 5}).status_code == 200
            assert requests.get(live.url("/healthz"), timeout=5).status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.25)
        assert max(latencies) < 1.0, latencies
        for thread in threads:
            thread.join(timeout=15)
        # each slow client was cut off after the head timeout (5 s), long before it finished (50 s)
        assert len(closed) == 100 and max(closed) < 12, sorted(closed)[-5:]
    finally:
        stop.set()


def raw_exchange(port: int, data: bytes, wait: float = 30) -> tuple[float, bytes]:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return time.monotonic() - started, answer


def parse_answer(answer: bytes) -> tuple[int, dict, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, json.loads(body)


def test_a_body_shorter_than_its_length_is_a_408_and_holds_no_worker(live):
    client = Client(live, "tenant-short")
    key = client.http.headers["Authorization"]
    request = (b"POST /v1/articles HTTP/1.1\r\nHost: x\r\nAuthorization: " + key.encode() +
               b"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\": \"Ein")
    results = []
    shorts = [threading.Thread(target=lambda: results.append(raw_exchange(live.port, request)), daemon=True)
              for _ in range(10)]
    for thread in shorts:
        thread.start()
    time.sleep(0.5)
    for _ in range(10):  # meanwhile the API answers at once
        started = time.monotonic()
        assert client.get("/v1/articles").status_code == 200
        assert time.monotonic() - started < 1.0
    for thread in shorts:
        thread.join(timeout=40)
    assert len(results) == 10
    for elapsed, answer in results:
        status, headers, body = parse_answer(answer)
        assert status == 408 and headers["content-type"] == "application/problem+json", answer[:300]
        assert headers["connection"] == "close" and body["type"].endswith(":request-timeout")
        assert elapsed < 15
    assert client.get("/v1/articles").json()["items"] == []  # nothing half-written


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n", 400),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n", 431),
    (b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400),
    (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
])
def test_gunicorns_own_errors_are_problems_not_html(live, request_bytes, status):
    _, answer = raw_exchange(live.port, request_bytes, wait=10)
    got, headers, body = parse_answer(answer)
    assert got == status and headers["content-type"] == "application/problem+json", answer[:400]
    assert body["status"] == status and headers["x-content-type-options"] == "nosniff"


# --- hostile inputs ----------------------------------------------------------------------------

def test_hostile_inputs_are_4xx_problems_and_write_nothing(live):
    client = Client(live, "tenant-hostile")
    deep = '{"text": "Ein Text.", "metadata": ' + '{"a": ' * 947 + "{}" + "}" * 947 + "}"
    for response in (
        client.post("/v1/articles", data=deep, headers={"Content-Type": "application/json"}),
        client.post("/v1/articles", data='{"text": "Ein Text.", "url": "http://a.de/\\ud800"}',
                    headers={"Content-Type": "application/json"}),
        client.post("/v1/articles", files={"file": ("a.txt", "Ein Text.".encode(), "text/plain"),
                                           "metadata": (None, "[" * 5000 + "]" * 5000)}),
        client.post("/v1/articles", json={"text": "Ein Text.", "metadata": {"x": "y" * 19_000_000}}),
        client.post("/v1/articles", json={"text": "a" * 1_000_001}),
    ):
        assert 400 <= response.status_code < 500
        assert_problem(response, response.status_code)
    for raw in ("p:9223372036854775808", "p:0", "p:01"):
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        for path in ("/v1/articles", "/v1/actors", "/v1/events", "/v1/quotes"):
            assert_problem(client.get(path, params={"cursor": cursor}), 422)
    assert client.get("/v1/articles").json()["items"] == []


def test_like_wildcards_match_only_themselves(live, tenant_a):
    for q in ("%", "_", "\\"):
        assert tenant_a.get("/v1/actors", params={"q": q}).json()["items"] == [], q
        assert tenant_a.get("/v1/quotes", params={"q": q}).json()["items"] == [], q
        assert tenant_a.get("/v1/quotes", params={"speaker": q}).json()["items"] == [], q


def test_lists_carry_metadata_only_when_asked(live):
    client = Client(live, "tenant-meta")
    assert client.post("/v1/articles", json={"text": SAMPLE, "metadata": {"k": "v" * 1000}}).status_code == 202
    assert "metadata" not in client.get("/v1/articles").json()["items"][0]
    assert client.get("/v1/articles", params={"include_metadata": "true"}).json()["items"][0]["metadata"]


def worker_peak_rss_mb(live) -> float:
    """The highest peak RSS (VmHWM) of the worker's processes (the Celery parent and its pool)."""
    pids, peak = [live.processes["worker"].pid], 0.0
    while pids:
        pid = pids.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            for task in Path(f"/proc/{pid}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


@pytest.mark.parametrize("name, text", [
    ("389 KB of short lines", "Ja.\n" * 97_000),
    ("363 KB of digits", "1" * 363_000),
    ("600 KB of „", "„" * 200_000),
    ("999,999 × a", "a" * 999_999),
])
def test_texts_up_to_the_size_limit_finish_within_the_time_limit(live, name, text):
    client = Client(live, "tenant-cost")
    accepted = client.post("/v1/articles", data=text.encode("utf-8"),
                           headers={"Content-Type": "text/plain; charset=utf-8"})
    assert accepted.status_code == 202, accepted.text
    started = time.monotonic()
    job = client.wait_job(accepted.headers["Operation-Location"], timeout=200)
    assert job["status"] == "succeeded", job  # not the soft time limit (120 s), no assertion error
    assert time.monotonic() - started < 120
    result = client.get(job["links"]["result"]).json()
    assert result["schema_version"] == "1"
    assert worker_peak_rss_mb(live) < 1500
