"""Stories through the real stack: the five seeds and two articles written for this test that
report the Belousov–Zhang meeting of seed 000 again (tests/fixtures/stories) go through
gunicorn, Redis, the Celery worker with the shipped model and PostgreSQL; `GET /v1/stories`
must show that meeting once, with three reports."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.support.live import seed_files

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
WRITTEN = {"belousov_zhang_agency.txt": "2024-10-16", "belousov_zhang_next_day.txt": "2024-10-17"}


@pytest.fixture(scope="module")
def reported(stack):
    """A tenant of its own (the other integration tests submit the seeds too), the seven
    articles submitted and extracted; returns its HTTP session and {file name: article id}."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {stack.create_key('stories')}"
    articles = [(p.name, p.read_text(encoding="utf-8"),
                 json.loads(p.with_name(p.name.replace(".txt", ".meta.json")).read_text())["published_at"])
                for p in seed_files()]
    articles += [(name, (FIXTURES / name).read_text(encoding="utf-8"), day) for name, day in WRITTEN.items()]
    ids, monitors = {}, []
    for name, text, published_at in articles:
        response = http.post(stack.url("/v1/articles"), json={"text": text, "published_at": published_at}, timeout=30)
        assert response.status_code == 202, response.text
        ids[name] = response.json()["id"]
        monitors.append(response.headers["Operation-Location"])
    for monitor in monitors:
        job = _wait(stack, http, monitor)
        assert job["status"] == "succeeded", job
    return http, ids


def _wait(stack, http, monitor):
    stack.http, saved = http, stack.http  # wait_job polls with the service's session
    try:
        return stack.wait_job(monitor)
    finally:
        stack.http = saved


def _all(stack, http, path: str, **query) -> list[dict]:
    """Every item of a collection, following its `next` links."""
    items, url, params = [], stack.url(path), {"limit": 100, **query}
    while url:
        response = http.get(url, params=params, timeout=30)
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        url, params = response.json()["next"] and stack.url(response.json()["next"]), None
    return items


def _all_stories(stack, http, **query) -> list[dict]:
    return _all(stack, http, "/v1/stories", **query)


def _meeting_stories(stories: list[dict], articles: set[str]) -> list[dict]:
    """The stories with a CONSULT report of 15 October 2024 from one of `articles`."""
    return [s for s in stories if s["type"] == "CONSULT" and any(
        r["article_id"] in articles and (r["time"] or {}).get("value") == "2024-10-15" for r in s["reports"])]


def _articles(story) -> set[str]:
    return {r["article_id"] for r in story["reports"]}


def test_the_belousov_zhang_meeting_is_one_story_with_three_reports(stack, reported):
    http, ids = reported
    meeting = {ids["000_49e7588e5b29a721.txt"], ids["belousov_zhang_agency.txt"], ids["belousov_zhang_next_day.txt"]}
    written = meeting - {ids["000_49e7588e5b29a721.txt"]}
    stories = _all_stories(stack, http)
    with_written = _meeting_stories(stories, written)
    assert len(with_written) == 1, with_written
    story = with_written[0]
    assert story["report_count"] == 3 and _articles(story) == meeting, story
    assert story["type"] == "CONSULT" and story["place"]["name"] == "Peking"
    assert story["time"]["value"] == "2024-10-15"
    # the registry's id for him depends on the spelling it saw first ("Andrej Beloussow" or "Andrey Belousov")
    belousov = next(p["global_id"] for p in story["participants"] if p["global_id"].startswith("person:andre"))
    assert (story["first_report"], story["last_report"]) == ("2024-10-16", "2024-10-17")
    listed = _all_stories(stack, http, actor=belousov, **{"from": "2024-10-15", "to": "2024-10-15"})
    assert [s["id"] for s in listed] == [story["id"]]


def test_every_event_has_a_story_and_another_tenant_sees_none(stack, reported):
    http, _ = reported
    events = _all(stack, http, "/v1/events")
    assert events and all(e["story_id"] for e in events)
    assert {e["story_id"] for e in events} == {s["id"] for s in _all_stories(stack, http)}
    theirs = {s["id"] for s in _all_stories(stack, stack.http)}
    assert not theirs & {e["story_id"] for e in events}
    assert stack.get(events[0]["links"]["story"]).status_code == 404


def test_deleting_a_report_updates_the_story(stack, reported):
    http, ids = reported
    assert http.delete(stack.url(f"/v1/articles/{ids['belousov_zhang_next_day.txt']}"), timeout=30).status_code == 204
    agency = ids["belousov_zhang_agency.txt"]
    [story] = _meeting_stories(_all_stories(stack, http), {agency})
    assert _articles(story) == {ids["000_49e7588e5b29a721.txt"], agency}
    assert story["report_count"] == 2 and story["last_report"] == "2024-10-16"
