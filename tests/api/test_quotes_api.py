"""GET /v1/quotes: the quote index filled when an extraction is stored, its filters and pages,
replacement by newer versions, deletion with the article, and tenant isolation."""
from __future__ import annotations

import pytest

from lagebild_core import quotes
from tests.support import documents
from tests.support.documents import QUOTES, global_ids, store

fixed_pipeline = documents.fixed_pipeline  # the fixture, used by this module's tests


@pytest.fixture
def indexed(api, run_job, fixed_pipeline):
    return store(api, run_job, "2024-10-16")


def _ids(api, **query):
    body = api.get_json("/v1/quotes", query_string=query)
    return [item["quote_id"] for item in body["items"]], body


def test_empty_index(api):
    assert api.get_json("/v1/quotes") == {"items": [], "next_cursor": None, "next": None}


def test_quotes_of_a_stored_extraction_are_listed_newest_first(api, indexed):
    ids, body = _ids(api)
    assert ids == ["Q4", "Q3", "Q2", "Q1"]
    gids = global_ids(api, indexed)
    first = body["items"][-1]
    assert first == {
        "article_id": indexed["id"], "version": 1, "published_at": "2024-10-16", "quote_id": "Q1", "kind": "direct",
        "text": "Wir teilen gemeinsame Ansichten", "start": 10, "end": 41, "cue": "sagte",
        "speaker": {"text": "Belousov", "actor": {"id": gids["A1"], "name": "Andrey Belousov"}},
        "addressee": {"id": gids["A3"], "name": "Zhang Youxia"},
        "links": {"article": f"/v1/articles/{indexed['id']}",
                  "extraction": f"/v1/articles/{indexed['id']}/extractions/1"}}
    no_speaker, pronoun = body["items"][1], body["items"][0]
    assert no_speaker["speaker"] is None and no_speaker["cue"] is None and no_speaker["addressee"] is None
    assert pronoun["speaker"] == {"text": "er", "actor": None}


@pytest.mark.parametrize("query, expected", [
    ({"kind": "direct"}, ["Q4", "Q1"]),
    ({"q": "ANSICHTEN"}, ["Q1"]),
    ({"q": "100%"}, ["Q2"]),          # % and _ are literal characters, not wildcards
    ({"q": "n_E"}, ["Q2"]),
    ({"q": "%"}, ["Q2"]),
    ({"q": "_"}, ["Q2"]),
    ({"speaker": "beloussow"}, []),   # a spelling the registry has not seen
    ({"speaker": "belousov"}, ["Q1"]),
    ({"speaker": "Youxia"}, ["Q2"]),  # the registry's name, though the article says "Zhang"
    ({"speaker": "er"}, []),          # a pronoun names no actor
    ({"speaker": "%"}, []),
])
def test_text_filters(api, indexed, query, expected):
    assert _ids(api, **query)[0] == expected


def test_actor_and_addressee_filters(api, indexed):
    gids = global_ids(api, indexed)
    assert _ids(api, actor=gids["A1"])[0] == ["Q1"]
    assert _ids(api, actor=gids["A3"])[0] == ["Q2"]
    assert _ids(api, addressee=gids["A1"])[0] == ["Q2"]
    assert _ids(api, actor=gids["A2"])[0] == []
    assert _ids(api, actor=gids["A1"], addressee=gids["A3"])[0] == ["Q1"]


def test_publication_dates_and_article(api, run_job, fixed_pipeline):
    older = store(api, run_job, "2023-03-31", "Erster Text.")
    newer = store(api, run_job, "2024-10-16", "Zweiter Text.")
    undated = api.submit("Dritter Text.")
    run_job(undated["job"]["id"])

    def articles(**query):
        return {item["article_id"] for item in _ids(api, limit=100, **query)[1]["items"]}

    assert articles() == {older["id"], newer["id"], undated["id"]}
    assert articles(**{"from": "2024-01-01"}) == {newer["id"]}
    assert articles(to="2023-12-31") == {older["id"]}
    assert articles(**{"from": "2023-03-31", "to": "2023-03-31"}) == {older["id"]}
    assert articles(article=undated["id"]) == {undated["id"]}
    assert _ids(api, article=undated["id"])[1]["items"][0]["published_at"] is None


def test_pagination_keeps_filters(api, indexed):
    ids, body = _ids(api, limit=1, kind="direct")
    assert ids == ["Q4"]
    assert "kind=direct" in body["next"] and "limit=1" in body["next"]
    second = api.get_json(body["next"])
    assert [i["quote_id"] for i in second["items"]] == ["Q1"] and second["next"] is None


def test_a_new_version_replaces_the_old_rows(api, client, indexed, run_job, fixed_pipeline):
    fixed_pipeline["quotes"] = QUOTES[:1]
    rerun = client.post(f"/v1/articles/{indexed['id']}/extractions")
    assert run_job(rerun.get_json()["id"]) == 2
    ids, body = _ids(api)
    assert ids == ["Q1"] and body["items"][0]["version"] == 2


def test_an_older_version_indexed_late_leaves_the_newer_index(api, client, indexed, run_job, fixed_pipeline):
    fixed_pipeline["quotes"] = []
    rerun = client.post(f"/v1/articles/{indexed['id']}/extractions")
    assert run_job(rerun.get_json()["id"]) == 2
    assert _ids(api)[0] == []
    version_1 = api.get_json(f"/v1/articles/{indexed['id']}/extractions/1")
    with api.session() as session, session.begin():
        assert quotes.index_quotes(session, "tenant-a", indexed["id"], 1, version_1) == 0
    assert _ids(api)[0] == []  # version 2 has no quotes, and version 1 does not come back


def test_deleting_the_article_removes_its_quotes(api, client, indexed):
    assert client.delete(f"/v1/articles/{indexed['id']}").status_code == 204
    assert _ids(api)[0] == []


def test_another_tenant_sees_no_quotes(api, indexed, client_of):
    gids = global_ids(api, indexed)
    other = client_of("tenant-b", "read")
    for url in ("/v1/quotes", f"/v1/quotes?actor={gids['A1']}", f"/v1/quotes?article={indexed['id']}",
                "/v1/quotes?speaker=belousov"):
        response = other.get(url)
        assert response.status_code == 200 and response.get_json()["items"] == [], url


def test_the_actor_links_to_its_quotes(api, indexed):
    belousov = global_ids(api, indexed)["A1"]
    links = api.get_json(f"/v1/actors/{belousov}")["links"]
    assert api.get_json(links["quotes"])["items"][0]["quote_id"] == "Q1"
    assert links["quotes"] == f"/v1/quotes?actor={belousov}"
    assert [i["event"]["id"] for i in api.get_json(links["events"])["items"]] == ["E4", "E3", "E1"]


@pytest.mark.parametrize("query, field", [
    ({"kind": "shouted"}, "kind"),
    ({"from": "yesterday"}, "from"),
    ({"limit": "101"}, "limit"),
    ({"article": "not-an-id"}, "article"),
    ({"q": ""}, "q"),
    ({"from": "2024-02-01", "to": "2024-01-01"}, "from"),   # an empty range, as GET /v1/events answers
])
def test_invalid_filters_are_422(client, problem, query, field):
    problem(client.get("/v1/quotes", query_string=query), 422, field=field)


def test_a_foreign_cursor_is_422(client, problem):
    problem(client.get("/v1/quotes?cursor=bm9wZQ"), 422, field="cursor")
