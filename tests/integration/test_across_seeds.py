"""The five seeds through the real stack (gunicorn, Celery worker, PostgreSQL, Redis), then the
views across articles: every quote of Putin's global id, Belousov's relations, the exports.

Expectations come from the stored extractions themselves (which quotes the pipeline gave
Putin, where the events happen), not from hard-coded counts; what is asserted is that the
indexes answer with exactly those.
"""
from __future__ import annotations

import csv
import io
import json

import pytest
import requests

from tests.support.live import seed_files

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def across(stack):
    """A tenant of its own with the five seeds stored; returns (http session, {seed name: document})."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {stack.create_key('across')}"
    jobs = {}
    for path in seed_files():
        meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
        response = http.post(stack.url("/v1/articles"), timeout=30, json={
            "text": path.read_text(encoding="utf-8"), "published_at": meta["published_at"], "title": path.stem})
        assert response.status_code == 202, response.text
        jobs[path.name] = response.headers["Operation-Location"]
    documents = {}
    for name, monitor in jobs.items():
        job = _wait(stack, http, monitor)
        assert job["status"] == "succeeded", job
        documents[name] = http.get(stack.url(job["links"]["result"]), timeout=30).json()
    return http, documents


def _wait(stack, http, monitor):
    import time
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job = http.get(stack.url(monitor), timeout=30).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"{monitor} not finished")


def _all(stack, http, url):
    items = []
    while url:
        page = http.get(stack.url(url), timeout=30).json()
        items += page["items"]
        url = page["next"]
    return items


def _global_id(documents, surname):
    ids = {a["global_id"] for d in documents.values() for a in d["actors"]
           if a["kind"] == "person" and surname in a["name"]}
    assert len(ids) == 1, ids  # one person across the seeds: the registry linked every mention
    return ids.pop()


def test_every_quote_of_putin_across_the_seeds(stack, across):
    http, documents = across
    putin = _global_id(documents, "Putin")
    expected = set()
    for document in documents.values():
        local = {a["id"] for a in document["actors"] if a["global_id"] == putin}
        expected |= {(document["article_id"], q["id"]) for q in document["quotes"]
                     if (q["speaker"] or {}).get("actor") in local}
    assert expected, "the pipeline gives Putin no quote in the seeds"
    found = _all(stack, http, f"/v1/quotes?actor={putin}&limit=3")
    assert {(q["article_id"], q["quote_id"]) for q in found} == expected
    assert all(q["speaker"]["actor"] == {"id": putin, "name": "Wladimir Putin"} for q in found)
    response = http.get(stack.url(f"/v1/quotes?actor={putin}"), headers={"Accept": "text/csv"}, timeout=30)
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["Content-Type"].startswith("text/csv")
    assert {(r["article_id"], r["quote_id"]) for r in rows} == expected
    actor = http.get(stack.url(f"/v1/actors/{putin}"), timeout=30).json()
    assert actor["links"]["quotes"] == f"/v1/quotes?actor={putin}"


def test_belousov_is_related_to_zhang_youxia_and_dong_jun(stack, across):
    """Seed 000: "Belousov traf … Dong Jun" is a CONSULT event from Belousov to Dong Jun; Zhang
    Youxia is the addressee of Belousov's quote (the event "traf am Dienstag in Peking Zhang
    Youxia" has Peking, not Zhang, as its target, so the quote is what links them)."""
    http, documents = across
    belousov, zhang, dong = (_global_id(documents, name) for name in ("Belousov", "Zhang Youxia", "Dong Jun"))
    body = http.get(stack.url(f"/v1/actors/{belousov}/relations"), timeout=30).json()
    related = {(r["actor"]["id"], r["via"], r["type"], r["direction"]) for r in body["relations"]}
    assert (dong, "event", "CONSULT", "outgoing") in related
    assert (zhang, "quote", None, "outgoing") in related
    seed_000 = documents["000_49e7588e5b29a721.txt"]["article_id"]
    for relation in body["relations"]:
        if relation["actor"]["id"] in (zhang, dong):
            assert relation["evidence"] and all(e["article_id"] == seed_000 for e in relation["evidence"])


def test_events_on_the_map(stack, across):
    http, documents = across
    response = http.get(stack.url("/v1/events"), headers={"Accept": "application/geo+json"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/geo+json")
    features = response.json()["features"]
    placed = {(f["properties"]["article_id"], f["properties"]["event_id"]): f for f in features}
    in_moscow = [(d["article_id"], e["id"]) for d in documents.values() for e in d["events"]
                 if (e["location"] or {}).get("text") == "Moskau"]
    assert in_moscow, "no seed event in Moskau"
    for key in in_moscow:
        longitude, latitude = placed[key]["geometry"]["coordinates"]
        assert placed[key]["properties"]["precision"] == "city" and 37 < longitude < 38.5 and 55 < latitude < 56.5
    csv_rows = list(csv.DictReader(io.StringIO(http.get(stack.url("/v1/events"), headers={"Accept": "text/csv"},
                                                        timeout=30).text)))
    assert len(csv_rows) == sum(len(d["events"]) for d in documents.values())
