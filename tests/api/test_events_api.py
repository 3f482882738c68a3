"""GET /v1/events: the event index filled when an extraction is stored, its filters and pages.

The pipeline is replaced by a fixed document (the blank model finds too little to filter on),
so these tests check the service: indexing the latest version, replacing older versions,
filters by type, global actor, country, time overlap and modality, and cursor pagination.
"""
from __future__ import annotations

import copy

import pytest

ACTORS = [
    {"id": "A1", "global_id": "person:belousov", "name": "Andrey Belousov", "kind": "person", "roles": [],
     "country": "RUS", "mentions": []},
    {"id": "A2", "global_id": "person:dong-jun", "name": "Dong Jun", "kind": "person", "roles": [],
     "country": "CHN", "mentions": []},
    {"id": "A3", "global_id": "state:UKR", "name": "Ukraine", "kind": "state", "roles": [], "country": "UKR",
     "mentions": []},
    {"id": "A4", "global_id": "state:RUS", "name": "Russland", "kind": "state", "roles": [], "country": "RUS",
     "mentions": []},
]


def _event(number, type_, source, target, time, modality="asserted", mode=None):
    mention = {"text": "traf", "start": 0, "end": 4}
    return {"id": f"E{number}", "type": type_, "mode": mode, "trigger": mention, "evidence": mention,
            "mentions": [mention], "source": source, "target": target, "location": None,
            "time": time, "modality": modality, "confidence": 0.8}


EVENTS = [
    _event(1, "CONSULT", ["A1"], ["A2"], {"text": "am Dienstag", "value": "2024-10-15", "granularity": "day"},
           mode="meet"),
    _event(2, "ASSAULT", ["A4"], ["A3"], {"text": "im Februar 2022", "value": "2022-02", "granularity": "month"},
           mode="invasion"),
    _event(3, "CONSULT", ["A1"], [], {"text": "nächste Woche", "value": "2024-W43", "granularity": "week"},
           modality="planned", mode="visit"),
    _event(4, "REQUEST", [], [], None),
]


@pytest.fixture
def fixed_pipeline(monkeypatch):
    """Make the extraction task return our actors and events for every article."""
    state = {"events": EVENTS}
    from workers.pipeline import extractor

    real_extract = extractor.Pipeline.extract

    def extract(self, text, published_at=None):
        document = real_extract(self, text, published_at)
        document["actors"] = copy.deepcopy(ACTORS)
        document["events"] = copy.deepcopy(state["events"])
        return document

    monkeypatch.setattr(extractor.Pipeline, "extract", extract)
    return state


@pytest.fixture
def indexed(api, run_job, fixed_pipeline):
    created = api.submit("Belousov traf Dong Jun.", published_at="2024-10-16")
    run_job(created["job"]["id"])
    return created


def _global_ids(api, article) -> dict:
    """The global ids the stored extraction gives our actors (the registry may assign its own)."""
    document = api.get_json(f"/v1/articles/{article['id']}/extractions/latest")
    return {a["id"]: a["global_id"] for a in document["actors"]}


def _ids(api, **query):
    body = api.get_json("/v1/events", query_string=query)
    return [item["event"]["id"] for item in body["items"]], body


def test_empty_index(api):
    body = api.get_json("/v1/events")
    assert body == {"items": [], "next_cursor": None, "next": None}


def test_events_of_a_stored_extraction_are_listed_newest_first(api, indexed):
    ids, body = _ids(api)
    assert ids == ["E4", "E3", "E2", "E1"]
    item = body["items"][-1]
    assert item["article_id"] == indexed["id"] and item["version"] == 1
    assert item["published_at"] == "2024-10-16"
    ids = _global_ids(api, indexed)
    assert item["participants"] == [
        {"role": "source", "actor": "A1", "global_id": ids["A1"], "name": "Andrey Belousov", "country": "RUS"},
        {"role": "target", "actor": "A2", "global_id": ids["A2"], "name": "Dong Jun", "country": "CHN"}]
    assert item["links"]["extraction"].endswith(f"/v1/articles/{indexed['id']}/extractions/1")


@pytest.mark.parametrize("query, expected", [
    ({"type": "CONSULT"}, ["E3", "E1"]),
    ({"actor": "A2"}, ["E1"]),
    ({"actor": "A1"}, ["E3", "E1"]),
    ({"country": "UKR"}, ["E2"]),
    ({"country": "rus"}, ["E3", "E2", "E1"]),
    ({"modality": "planned"}, ["E3"]),
    ({"from": "2024-10-01", "to": "2024-10-31"}, ["E3", "E1"]),
    ({"from": "2024-10-16"}, ["E3"]),
    ({"to": "2022-12-31"}, ["E2"]),
    ({"from": "2022-02-28", "to": "2022-02-28"}, ["E2"]),
    ({"type": "CONSULT", "from": "2024-10-15", "to": "2024-10-15", "actor": "A1"}, ["E1"]),
])
def test_filters(api, indexed, query, expected):
    if "actor" in query:  # by the global id of that local actor
        query = {**query, "actor": _global_ids(api, indexed)[query["actor"]]}
    assert _ids(api, **query)[0] == expected


def test_pagination_keeps_filters(api, indexed):
    ids, body = _ids(api, limit=1, type="CONSULT")
    assert ids == ["E3"]
    assert "type=CONSULT" in body["next"] and "limit=1" in body["next"]
    second = api.get_json(body["next"])
    assert [i["event"]["id"] for i in second["items"]] == ["E1"]
    assert second["next"] is None


def test_a_new_version_replaces_the_old_rows(api, client, indexed, run_job, fixed_pipeline):
    fixed_pipeline["events"] = EVENTS[:1]
    rerun = client.post(f"/v1/articles/{indexed['id']}/extractions")
    assert run_job(rerun.get_json()["id"]) == 2
    ids, body = _ids(api)
    assert ids == ["E1"] and body["items"][0]["version"] == 2


def test_deleting_the_article_removes_its_events(api, client, indexed):
    assert client.delete(f"/v1/articles/{indexed['id']}").status_code == 204
    assert _ids(api)[0] == []


@pytest.mark.parametrize("query, field", [
    ({"type": "MEET"}, "type"),
    ({"modality": "maybe"}, "modality"),
    ({"country": "RU"}, "country"),
    ({"from": "yesterday"}, "from"),
    ({"limit": "0"}, "limit"),
])
def test_invalid_filters_are_422(client, problem, query, field):
    problem(client.get("/v1/events", query_string=query), 422, field=field)


def test_empty_range_is_422(client, problem):
    problem(client.get("/v1/events", query_string={"from": "2024-02-01", "to": "2024-01-01"}), 422, field="from")
