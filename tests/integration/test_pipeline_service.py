"""Seeds through the real stack: submit, poll, fetch every version, re-run, redeliver."""
from __future__ import annotations

import time

import pytest
from celery import Celery

from tests.support.live import assert_schema_v1, seed_files

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def seeds_done(stack):
    """Submit the five seeds (JSON, text/plain and a batch) and wait for their jobs."""
    files = seed_files()
    assert len(files) == 5
    accepted = []
    for number, path in enumerate(files[:3]):
        text = path.read_text(encoding="utf-8")
        if number % 2:
            response = stack.post("/v1/articles", data=text.encode("utf-8"), params={"published_at": "2024-10-16"},
                                  headers={"Content-Type": "text/plain; charset=utf-8"})
        else:
            response = stack.post("/v1/articles", json={"text": text, "published_at": "2024-10-16",
                                                        "title": path.stem})
        assert response.status_code == 202, response.text
        accepted.append((text, response.json(), response.headers["Operation-Location"]))
    batch = stack.post("/v1/articles:batch", json={"articles": [
        {"text": p.read_text(encoding="utf-8"), "external_id": p.stem} for p in files[3:]]})
    assert batch.status_code == 202, batch.text
    for path, item in zip(files[3:], batch.json()["items"]):
        accepted.append((path.read_text(encoding="utf-8"), item, item["job"]["links"]["self"]))
    jobs = [stack.wait_job(monitor) for _, _, monitor in accepted]
    return [(text, article, job) for (text, article, _), job in zip(accepted, jobs)]


def test_every_seed_comes_back_as_schema_v1(stack, seeds_done):
    for text, article, job in seeds_done:
        assert job["status"] == "succeeded", job
        assert job["extraction_version"] == 1
        response = stack.get(job["links"]["result"])
        assert response.status_code == 200
        document = response.json()
        assert document["article_id"] == article["id"] and document["version"] == 1
        assert_schema_v1(document, text)
        stored = stack.get(f"/v1/articles/{article['id']}").json()
        assert stored["text"] == text and stored["status"] == "succeeded" and stored["latest_version"] == 1


def test_numbered_versions_are_cacheable_and_conditional(stack, seeds_done):
    _, article, _ = seeds_done[0]
    first = stack.get(f"/v1/articles/{article['id']}/extractions/1")
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = stack.get(f"/v1/articles/{article['id']}/extractions/1", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_rerun_creates_version_2_and_keeps_version_1(stack, seeds_done):
    _, article, _ = seeds_done[1]
    base = f"/v1/articles/{article['id']}/extractions"
    before = stack.get(f"{base}/1")
    rerun = stack.post(base)
    assert rerun.status_code == 202
    job = stack.wait_job(rerun.headers["Operation-Location"])
    assert job["status"] == "succeeded" and job["extraction_version"] == 2
    versions = stack.get(base).json()["items"]
    assert [v["version"] for v in versions] == [2, 1]
    after = stack.get(f"{base}/1")
    assert after.content == before.content and after.headers["ETag"] == before.headers["ETag"]
    latest = stack.get(f"{base}/latest")
    assert latest.json()["version"] == 2 and latest.headers["Content-Location"].endswith("/extractions/2")


def test_redelivered_task_does_not_duplicate_a_version(stack, seeds_done, redis_url):
    """Publish the extract message of a finished job again, twice, as a redelivery would."""
    _, article, job = seeds_done[2]
    attempts = stack.get(job["links"]["self"]).json()["attempts"]  # >1 when a deadlock retry ran it again
    sender = Celery(broker=redis_url)
    for _ in range(2):
        sender.send_task("lagebild.extract", args=[job["id"]], queue="lagebild")
    rerun = stack.post(f"/v1/articles/{article['id']}/extractions")  # a marker processed after them
    stack.wait_job(rerun.headers["Operation-Location"])
    time.sleep(1)
    versions = [v["version"] for v in stack.get(f"/v1/articles/{article['id']}/extractions").json()["items"]]
    assert versions == [2, 1]
    assert stack.get(job["links"]["self"]).json()["attempts"] == attempts, "a finished job was started again"


def test_job_published_twice_before_it_runs_makes_one_version(stack, redis_url):
    response = stack.post("/v1/articles", json={"text": "Peking erklärte am Montag, man sei bereit."})
    job_id = response.json()["job"]["id"]
    sender = Celery(broker=redis_url)
    for _ in range(3):
        sender.send_task("lagebild.extract", args=[job_id], queue="lagebild")
    job = stack.wait_job(response.headers["Operation-Location"])
    time.sleep(1.5)
    versions = stack.get(f"/v1/articles/{response.json()['id']}/extractions").json()["items"]
    assert job["status"] == "succeeded" and [v["version"] for v in versions] == [1]


def test_hostile_inputs_never_crash_the_worker(stack):
    texts = ["„" * 5000, "x" * 20000, "\u202e\u200b" * 500 + "Text", "😀 " * 3000, "1.\n2.\n3.\n" * 1000,
             "Er sagte: „" + "Nein, " * 2000, "\t\r\n" + "a\u0301" * 3000, "Dr. Nr. Oberst. " * 500]
    jobs = [stack.post("/v1/articles", json={"text": t}).headers["Operation-Location"] for t in texts]
    results = [stack.wait_job(job) for job in jobs]
    assert [job["status"] for job in results] == ["succeeded"] * len(texts), results
    assert stack.processes["worker"].poll() is None


def test_readiness_reports_both_dependencies(stack):
    body = stack.get("/readyz").json()
    assert body == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}

