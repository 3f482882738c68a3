"""GET /v1/articles (cursor pagination, filters) and GET /v1/articles/{id}."""
from __future__ import annotations

import pytest


@pytest.fixture
def seven(api) -> list[dict]:
    """Seven articles, submitted oldest first, with dates and external ids."""
    return [api.submit(f"Artikel Nummer {n}.", published_at=f"2024-10-{10 + n:02d}", external_id=f"ext-{n % 3}")
            for n in range(7)]


def walk(api, **query) -> tuple[list[str], list[dict]]:
    """Follow `next` links from the first page; return all ids and every page."""
    pages = [api.get_json("/v1/articles", query_string=query)]
    while pages[-1]["next"]:
        assert pages[-1]["next_cursor"] and f"cursor={pages[-1]['next_cursor']}" in pages[-1]["next"]
        pages.append(api.get_json(pages[-1]["next"]))
        assert len(pages) < 20, "pagination does not end"
    assert pages[-1]["next_cursor"] is None
    return [item["id"] for page in pages for item in page["items"]], pages


def test_empty_collection(api):
    assert api.get_json("/v1/articles") == {"items": [], "next_cursor": None, "next": None}


def test_walk_all_pages_newest_first_without_duplicates(api, seven):
    ids, pages = walk(api, limit=3)
    assert ids == [a["id"] for a in reversed(seven)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert all("limit=3" in p["next"] for p in pages[:-1])


def test_exact_multiple_of_limit_has_no_empty_last_page(api, seven):
    ids, pages = walk(api, limit=7)
    assert len(pages) == 1 and len(ids) == 7


def test_pages_are_stable_while_articles_are_added(api, seven):
    first = api.get_json("/v1/articles", query_string={"limit": 4})
    api.submit("Neuer Artikel während des Blätterns.")
    second = api.get_json(first["next"])
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == [a["id"] for a in reversed(seven)]


def test_list_items_are_summaries_without_text(api, seven):
    item = api.get_json("/v1/articles", query_string={"limit": 1})["items"][0]
    assert "text" not in item and "job" not in item
    assert item["text_length"] == len("Artikel Nummer 6.")
    assert item["links"]["self"] == f"/v1/articles/{item['id']}"
    assert item["status"] == "queued" and item["published_at"] == "2024-10-16"


def test_filter_status(api, seven, run_job):
    for article in seven[:2]:
        run_job(article["job"]["id"])
    assert api.list_ids(status="succeeded") == [seven[1]["id"], seven[0]["id"]]
    assert len(api.list_ids(status="queued")) == 5
    assert api.list_ids(status="failed") == []


def test_filter_published_range_is_inclusive(api, seven):
    assert api.list_ids(published_after="2024-10-14") == [a["id"] for a in reversed(seven[4:])]
    assert api.list_ids(published_before="2024-10-11") == [seven[1]["id"], seven[0]["id"]]
    assert api.list_ids(published_after="2024-10-12", published_before="2024-10-13") == \
           [seven[3]["id"], seven[2]["id"]]
    assert api.list_ids(published_after="2024-10-17") == []


def test_filter_external_id(api, seven):
    assert api.list_ids(external_id="ext-1") == [seven[4]["id"], seven[1]["id"]]
    assert api.list_ids(external_id="nope") == []


def test_filters_are_kept_in_next_links(api, seven):
    ids, pages = walk(api, limit=1, external_id="ext-0", published_after="2024-10-11")
    assert ids == [seven[6]["id"], seven[3]["id"]]
    assert "external_id=ext-0" in pages[0]["next"] and "published_after=2024-10-11" in pages[0]["next"]


@pytest.mark.parametrize("query, field", [
    ({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"limit": "viele"}, "limit"), ({"limit": -1}, "limit"),
    ({"cursor": "not-a-cursor"}, "cursor"), ({"cursor": "cDp4"}, "cursor"), ({"cursor": "!!"}, "cursor"),
    ({"cursor": "x" * 201}, "cursor"), ({"status": "done"}, "status"),
    ({"published_after": "2024-13-01"}, "published_after"), ({"published_before": "gestern"}, "published_before"),
])
def test_invalid_query_is_422(api, seven, problem, query, field):
    problem(api.client.get("/v1/articles", query_string=query), 422, "validation-error", field)


def test_limit_bounds_are_accepted(api, seven):
    assert len(api.list_ids(limit=1)) == 1
    assert len(api.list_ids(limit=100)) == 7


def test_default_limit_is_20(api):
    for n in range(21):
        api.submit(f"Artikel {n}.")
    page = api.get_json("/v1/articles")
    assert len(page["items"]) == 20 and page["next_cursor"]


# --- one article --------------------------------------------------------------------------------

def test_get_article_status_transitions(api, client, run_job):
    created = api.submit("Ein Artikel „mit“ Zitat.", title="T", metadata={"k": "v"})
    article = api.article(created["id"])
    assert article["status"] == "queued" and article["latest_version"] is None
    assert article["text"] == "Ein Artikel „mit“ Zitat." and article["metadata"] == {"k": "v"}
    assert run_job(created["job"]["id"]) == 1
    article = api.article(created["id"])
    assert article["status"] == "succeeded" and article["latest_version"] == 1
    rerun = client.post(f"/v1/articles/{created['id']}/extractions").get_json()
    article = api.article(created["id"])
    assert article["status"] == "queued" and article["latest_version"] == 1
    assert run_job(rerun["id"]) == 2
    assert api.article(created["id"])["latest_version"] == 2
    assert api.article(created["id"])["status"] == "succeeded"


def test_get_article_links(api):
    created = api.submit()
    links = api.article(created["id"])["links"]
    assert links == {"self": f"/v1/articles/{created['id']}",
                     "extractions": f"/v1/articles/{created['id']}/extractions",
                     "latest_extraction": f"/v1/articles/{created['id']}/extractions/latest"}


def test_updated_at_moves_with_status(api, run_job):
    created = api.submit()
    run_job(created["job"]["id"])
    article = api.article(created["id"])
    assert article["created_at"] == created["created_at"]
    assert article["updated_at"] >= article["created_at"]
