"""Exports of the list endpoints by content negotiation: CSV of /v1/events and /v1/quotes (all
pages, the same filters, streamed), GeoJSON of /v1/events, 406 for anything else."""
from __future__ import annotations

import csv
import io

import pytest

from service import exports
from service.resources.events.routes import CSV_COLUMNS as EVENT_COLUMNS
from service.resources.quotes.routes import CSV_COLUMNS as QUOTE_COLUMNS
from tests.support import documents
from tests.support.documents import global_ids, store

fixed_pipeline = documents.fixed_pipeline  # the fixture, used by this module's tests

CSV = {"Accept": "text/csv"}
GEOJSON = {"Accept": "application/geo+json"}


@pytest.fixture
def three_articles(api, run_job, fixed_pipeline, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_PAGE", 3)  # 12 events and 12 quotes: several pages per export
    return [store(api, run_job, f"2024-10-{day}", f"Text {day}.") for day in (14, 15, 16)]


def _csv(client, url, **query):
    response = client.get(url, query_string=query, headers=CSV)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert "Accept" in response.headers["Vary"]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True), newline="")))


def test_quotes_as_csv_have_every_page_and_the_documented_header(api, client, three_articles):
    rows = _csv(client, "/v1/quotes")
    assert rows[0] == list(QUOTE_COLUMNS)
    assert len(rows) == 1 + 12
    records = [dict(zip(rows[0], row)) for row in rows[1:]]
    first = records[-1]  # oldest: Q1 of the first article
    gids = global_ids(api, three_articles[0])
    assert first["article_id"] == three_articles[0]["id"] and first["quote_id"] == "Q1"
    assert (first["speaker_id"], first["speaker_name"], first["addressee_name"]) == \
        (gids["A1"], "Andrey Belousov", "Zhang Youxia")
    assert first["published_at"] == "2024-10-14" and first["text"] == "Wir teilen gemeinsame Ansichten"
    formula = next(r for r in records if r["quote_id"] == "Q3")
    assert formula["text"].startswith("'=HYPERLINK")  # a spreadsheet shows it, does not run it
    assert formula["speaker_text"] == "" and formula["cue"] == ""
    assert [r["quote_id"] for r in records] == [item["quote_id"] for page in _pages(api, "/v1/quotes")
                                               for item in page]


def _pages(api, url):
    while url:
        body = api.get_json(url, query_string={"limit": 5} if "?" not in url else None)
        yield body["items"]
        url = body["next"]


def test_csv_applies_the_filters(api, client, three_articles):
    gids = global_ids(api, three_articles[0])
    rows = _csv(client, "/v1/quotes", actor=gids["A1"], limit=1)  # limit is ignored: every match
    assert [r[QUOTE_COLUMNS.index("quote_id")] for r in rows[1:]] == ["Q1", "Q1", "Q1"]
    rows = _csv(client, "/v1/events", type="ASSAULT", **{"from": "2000-01-01"})
    assert rows[1:] == []
    rows = _csv(client, "/v1/events", type="CONSULT")
    assert len(rows) == 4
    event = dict(zip(rows[0], rows[1]))
    assert event["source_names"] == "Andrey Belousov" and event["target_names"] == "Dong Jun"
    assert event["time_value"] == "2024-10-15" and event["location"] == "Peking"


def test_events_as_csv_have_the_documented_header(client, three_articles):
    rows = _csv(client, "/v1/events")
    assert rows[0] == list(EVENT_COLUMNS) and len(rows) == 1 + 12
    cooperate = next(dict(zip(rows[0], r)) for r in rows[1:] if r[EVENT_COLUMNS.index("type")] == "COOPERATE")
    assert cooperate["source_names"] == "Andrey Belousov; Zhang Youxia" and cooperate["target_ids"] == ""


def test_events_as_geojson(client, three_articles):
    response = client.get("/v1/events", headers=GEOJSON)
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    collection = response.get_json(force=True)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    # per article: E1 in Peking (a town), E2 in Ukraine (a state); E3's "Nirgendwo" and E4 have no point
    assert sorted((f["properties"]["event_id"], f["properties"]["precision"]) for f in features) == \
        [("E1", "city")] * 3 + [("E2", "country")] * 3
    for feature in features:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
    peking = next(f for f in features if f["properties"]["event_id"] == "E1")
    longitude, latitude = peking["geometry"]["coordinates"]
    assert 116 < longitude < 117 and 39 < latitude < 41  # [lon, lat], not [lat, lon]
    assert peking["properties"]["location"] == "Peking" and peking["properties"]["type"] == "CONSULT"
    assert [s["name"] for s in peking["properties"]["sources"]] == ["Andrey Belousov"]
    ukraine = next(f for f in features if f["properties"]["event_id"] == "E2")
    assert 22 < ukraine["geometry"]["coordinates"][0] < 41 and 44 < ukraine["geometry"]["coordinates"][1] < 53


def test_geojson_applies_the_filters_and_is_empty_for_another_tenant(client, three_articles, client_of):
    only = client.get("/v1/events?type=ASSAULT", headers=GEOJSON).get_json(force=True)
    assert {f["properties"]["type"] for f in only["features"]} == {"ASSAULT"}
    other = client_of("tenant-b", "read")
    assert other.get("/v1/events", headers=GEOJSON).get_json(force=True) == \
        {"type": "FeatureCollection", "features": []}
    rows = list(csv.reader(io.StringIO(other.get("/v1/quotes", headers=CSV).get_data(as_text=True))))
    assert rows == [list(QUOTE_COLUMNS)]


@pytest.mark.parametrize("url, accept", [("/v1/quotes", "application/xml"), ("/v1/events", "text/html"),
                                         ("/v1/quotes", "application/geo+json")])
def test_unknown_accept_is_406(client, problem, url, accept):
    body = problem(client.get(url, headers={"Accept": accept}), 406, "not-acceptable")
    assert "text/csv" in body["detail"]


@pytest.mark.parametrize("accept", ["*/*", "application/json", "text/csv;q=0.5, application/json", ""])
def test_json_stays_the_default(client, accept):
    response = client.get("/v1/quotes", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "Accept" in response.headers["Vary"]


def test_invalid_filters_in_an_export_are_a_problem_not_a_broken_download(client, problem):
    problem(client.get("/v1/events?from=2024-02-01&to=2024-01-01", headers=CSV), 422, field="from")
    problem(client.get("/v1/quotes?kind=sung", headers=CSV), 422, field="kind")
