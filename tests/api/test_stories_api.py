"""GET /v1/stories and /v1/stories/{id}: stories formed as extractions are stored, their
filters, pages, tenants and 404s, and the `story_id` the events carry.

The pipeline is replaced by fixed documents chosen by the article's first word (the blank
model finds too little), so these tests check the service around the grouping rule
(tests/core/test_stories.py checks the rule itself).
"""
from __future__ import annotations

import copy

import pytest

PERSON = {"kind": "person", "roles": [], "mentions": []}
ACTORS = [
    {"id": "A1", "name": "Andrey Belousov", "country": "RUS", **PERSON},
    {"id": "A2", "name": "Zhang Youxia", "country": "CHN", **PERSON},
    {"id": "A3", "name": "Peking", "kind": "location", "roles": [], "country": "CHN", "mentions": []},
    {"id": "A4", "name": "Russland", "kind": "state", "roles": [], "country": "RUS", "mentions": []},
    {"id": "A5", "name": "Ukraine", "kind": "state", "roles": [], "country": "UKR", "mentions": []},
]


def _event(type_, source, target, day, location=None, mode=None, evidence="Belousov traf Zhang in Peking."):
    span = {"text": evidence, "start": 0, "end": len(evidence)}
    return {"id": "E1", "type": type_, "mode": mode, "trigger": span, "evidence": span, "mentions": [span],
            "source": source, "target": target,
            "location": {"text": "Peking", "actor": location} if location else None,
            "time": {"text": "am Dienstag", "value": day, "granularity": "day"} if day else None,
            "modality": "asserted", "confidence": 0.8}


MEETING = _event("CONSULT", ["A1"], ["A2"], "2024-10-15", "A3", "meet")
DOCUMENTS = {  # first word of the article -> its events
    "Meeting": [MEETING],
    "Visit": [_event("CONSULT", ["A1"], [], None, "A3", "visit", "Der Besuch Belousovs in Peking.")],
    "Later": [_event("CONSULT", ["A1"], ["A2"], "2024-04-18", "A3", "meet", "Belousov und Zhang im April.")],
    "War": [_event("ASSAULT", ["A4"], ["A5"], "2024-10-14", None, "aerial", "Russland griff die Ukraine an.")],
}


@pytest.fixture
def fixed_pipeline(monkeypatch):
    from workers.pipeline import extractor

    real_extract = extractor.Pipeline.extract

    def extract(self, text, published_at=None):
        document = real_extract(self, text, published_at)
        document["actors"] = copy.deepcopy(ACTORS)
        document["events"] = copy.deepcopy(DOCUMENTS[text.split()[0]])
        return document

    monkeypatch.setattr(extractor.Pipeline, "extract", extract)


@pytest.fixture
def store(api, run_job, fixed_pipeline):
    """`store(first_word, published_at, client=api.client)`: submit an article and run its job."""
    def submit(word, published_at, client=None):
        response = (client or api.client).post("/v1/articles", json={"text": f"{word} Text.",
                                                                      "published_at": published_at})
        assert response.status_code == 202, response.get_data(as_text=True)
        created = response.get_json()
        run_job(created["job"]["id"])
        return created["id"]
    return submit


@pytest.fixture
def reported(store):
    """The meeting in three articles (one only 'a visit', undated), another meeting, a war event."""
    return {"meeting": store("Meeting", "2024-10-16"), "visit": store("Visit", "2024-10-16"),
            "again": store("Meeting", "2024-10-17"), "april": store("Later", "2024-04-20"),
            "war": store("War", "2024-10-16")}


def _stories(api, **query):
    return api.get_json("/v1/stories", query_string=query)


def _meeting(api):
    return next(s for s in _stories(api)["items"] if s["report_count"] == 3)


def test_no_stories_without_events(api):
    assert _stories(api) == {"items": [], "next_cursor": None, "next": None}


def test_one_happening_reported_three_times_is_one_story(api, reported):
    items = _stories(api)["items"]
    assert sorted(s["report_count"] for s in items) == [1, 1, 3]
    story = _meeting(api)
    assert story["type"] == "CONSULT" and story["mode"] == "meet"
    assert [p["name"] for p in story["participants"]] == ["Andrey Belousov", "Zhang Youxia"]
    assert story["place"]["name"] == "Peking"
    assert story["time"] == {"value": "2024-10-15", "granularity": "day", "start": "2024-10-15", "end": "2024-10-15"}
    assert (story["first_report"], story["last_report"], story["article_count"]) == ("2024-10-16", "2024-10-17", 3)
    assert {r["article_id"] for r in story["reports"]} == {reported["meeting"], reported["visit"], reported["again"]}
    report = next(r for r in story["reports"] if r["article_id"] == reported["visit"])
    assert report["event_id"] == "E1" and report["version"] == 1 and report["time"] is None
    assert report["evidence"]["text"] == "Der Besuch Belousovs in Peking."
    assert api.get_json(story["links"]["self"]) == story


def test_events_name_their_story(api, reported):
    story = _meeting(api)
    events = api.get_json(story["links"]["events"])["items"]
    assert sorted(e["article_id"] for e in events) == sorted(r["article_id"] for r in story["reports"])
    assert {e["story_id"] for e in events} == {story["id"]}
    assert {e["links"]["story"] for e in events} == {story["links"]["self"]}
    assert all(e["story_id"] for e in api.get_json("/v1/events")["items"])


@pytest.mark.parametrize("query, expected", [
    ({"type": "ASSAULT"}, ["ASSAULT"]),
    ({"type": "CONSULT"}, ["CONSULT/1", "CONSULT/3"]),
    ({"actor": "state:UKR"}, ["ASSAULT"]),
    ({"actor": "person:zhang-youxia"}, ["CONSULT/1", "CONSULT/3"]),
    ({"from": "2024-10-15", "to": "2024-10-31"}, ["CONSULT/3"]),
    ({"to": "2024-10-14"}, ["ASSAULT", "CONSULT/1"]),
    ({"q": "ukraine"}, ["ASSAULT"]),
    ({"q": "BESUCH"}, ["CONSULT/3"]),
    ({"q": "pek", "from": "2024-04-01", "to": "2024-04-30"}, ["CONSULT/1"]),
])
def test_filters(api, reported, query, expected):
    items = _stories(api, **query)["items"]
    assert sorted(f"{s['type']}/{s['report_count']}" if s["type"] == "CONSULT" else s["type"] for s in items) == expected


def test_pages_keep_filters_and_cover_every_story_once(api, reported):
    body = _stories(api, limit=1, type="CONSULT")
    assert len(body["items"]) == 1 and "type=CONSULT" in body["next"] and "limit=1" in body["next"]
    second = api.get_json(body["next"])
    assert len(second["items"]) == 1 and second["next"] is None
    assert {body["items"][0]["id"], second["items"][0]["id"]} == {s["id"] for s in _stories(api, type="CONSULT")["items"]}


def test_another_tenant_sees_none_of_them(api, reported, client_of, problem):
    story = _meeting(api)
    other = client_of("tenant-b", "read")
    assert other.get("/v1/stories").get_json()["items"] == []
    problem(other.get(story["links"]["self"]), 404, "not-found")


def test_the_same_reports_in_two_tenants_are_two_stories(api, store, client_of):
    other = client_of("tenant-b")
    store("Meeting", "2024-10-16")
    store("Meeting", "2024-10-17", client=other)
    mine, theirs = _stories(api)["items"], other.get("/v1/stories").get_json()["items"]
    assert [s["report_count"] for s in mine] == [1] and [s["report_count"] for s in theirs] == [1]
    assert mine[0]["id"] != theirs[0]["id"]


def test_unknown_story_is_404(client, problem):
    problem(client.get("/v1/stories/s0000000000000000000000000"), 404, "not-found")


def test_deleting_an_article_takes_its_report_out(api, client, reported):
    assert client.delete(f"/v1/articles/{reported['again']}").status_code == 204
    story = next(s for s in _stories(api)["items"] if s["report_count"] == 2)
    assert {r["article_id"] for r in story["reports"]} == {reported["meeting"], reported["visit"]}
    assert story["last_report"] == "2024-10-16"


@pytest.mark.parametrize("query, field", [
    ({"type": "MEET"}, "type"),
    ({"from": "yesterday"}, "from"),
    ({"limit": "0"}, "limit"),
    ({"cursor": "nonsense"}, "cursor"),
    ({"from": "2024-02-01", "to": "2024-01-01"}, "from"),
])
def test_invalid_filters_are_422(client, problem, query, field):
    problem(client.get("/v1/stories", query_string=query), 422, field=field)


def test_stories_as_csv_one_row_each_with_the_documented_header(api, client, reported):
    import csv
    import io

    from service.resources.stories.routes import CSV_COLUMNS
    response = client.get("/v1/stories", headers={"Accept": "text/csv"}, query_string={"type": "CONSULT"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert sorted(int(r["report_count"]) for r in rows) == [1, 3]  # the war story is not CONSULT
    meeting = next(r for r in rows if r["report_count"] == "3")
    assert meeting["story_id"] == _meeting(api)["id"] and meeting["place_name"] == "Peking"
    assert meeting["participant_names"] == "Andrey Belousov; Zhang Youxia"
    assert set(meeting["article_ids"].split("; ")) == {reported["meeting"], reported["visit"], reported["again"]}


def test_stories_as_geojson_where_their_place_resolves(api, client, reported, client_of):
    response = client.get("/v1/stories", headers={"Accept": "application/geo+json"})
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    by_story = {f["properties"]["story_id"]: f for f in collection["features"]}
    meeting = by_story[_meeting(api)["id"]]  # Peking resolves; the war story has no place
    longitude, latitude = meeting["geometry"]["coordinates"]
    assert 115 < longitude < 118 and 39 < latitude < 41  # [lon, lat] (RFC 7946)
    assert len(by_story) == 2  # the April meeting in Peking too, the war story has no place
    other = client_of("tenant-b").get("/v1/stories", headers={"Accept": "application/geo+json"})
    assert other.get_json()["features"] == []
