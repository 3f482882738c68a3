"""POST /v1/articles and /v1/articles:batch: the three media types, headers, exact text, batches."""
from __future__ import annotations

import hashlib
import io
import json

import pytest

from lagebild_core.settings import Settings

TRICKY = "Präsident Selenskyj sagte: „Wir bleiben.“\r\nZweite Zeile\tmit Tab – und 🇺🇦 Emoji.\r\n\r\n  Ende  "


def assert_accepted(response) -> dict:
    """202 with Location/Operation-Location/Retry-After pointing at the article and its job."""
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert response.headers["Location"] == f"/v1/articles/{body['id']}"
    assert response.headers["Operation-Location"] == f"/v1/jobs/{body['job']['id']}"
    assert int(response.headers["Retry-After"]) >= 1
    assert body["status"] == "queued" and body["latest_version"] is None
    job = body["job"]
    assert job["status"] == "queued" and job["article_id"] == body["id"] and job["attempts"] == 0
    assert job["links"] == {"self": f"/v1/jobs/{job['id']}", "article": f"/v1/articles/{body['id']}",
                            "result": None}
    assert body["links"]["self"] == f"/v1/articles/{body['id']}"
    return body


def test_json_article_is_accepted_with_all_fields(api, client):
    response = client.post("/v1/articles", json={
        "text": TRICKY, "title": "Kyjiw „heute“", "url": "https://example.org/a?x=1",
        "published_at": "2024-10-16", "language": "de-AT", "source": "agentur", "external_id": "ext-1",
        "metadata": {"ressort": "Ausland", "tags": ["ä", 1, None], "nested": {"k": True}}})
    body = assert_accepted(response)
    assert body["text"] == TRICKY
    assert body["title"] == "Kyjiw „heute“"
    assert body["published_at"] == "2024-10-16" and body["language"] == "de-AT"
    assert body["metadata"] == {"ressort": "Ausland", "tags": ["ä", 1, None], "nested": {"k": True}}
    assert body["text_length"] == len(TRICKY)
    assert body["text_sha256"] == hashlib.sha256(TRICKY.encode()).hexdigest()
    stored = api.article(body["id"])
    assert stored["text"] == TRICKY
    assert {k: v for k, v in stored.items() if k not in ("text", "updated_at")} == \
           {k: v for k, v in body.items() if k not in ("text", "job", "updated_at")}


def test_json_defaults_and_timestamp_date(api):
    body = api.submit("Ein Satz.", published_at="2024-10-16T23:30:00-02:00")
    assert body["published_at"] == "2024-10-17"  # reduced to its UTC date
    assert body["language"] == "de" and body["metadata"] == {} and body["title"] is None
    assert body["created_at"].endswith("Z") and body["job"]["created_at"].endswith("Z")


def test_json_body_utf8_bytes_kept_exactly(api, client):
    raw = json.dumps({"text": TRICKY}, ensure_ascii=False).encode("utf-8")
    body = assert_accepted(client.post("/v1/articles", data=raw, content_type="application/json; charset=utf-8"))
    assert api.article(body["id"])["text"].encode("utf-8") == TRICKY.encode("utf-8")


def test_text_plain_with_query_fields(api, client):
    response = client.post("/v1/articles", data=TRICKY.encode("utf-8"), content_type="text/plain; charset=utf-8",
                           query_string={"title": "Titel ü", "published_at": "2024-10-16", "external_id": "x-9"})
    body = assert_accepted(response)
    stored = api.article(body["id"])
    assert stored["text"] == TRICKY  # CRLF, tabs, trailing spaces untouched
    assert (stored["title"], stored["published_at"], stored["external_id"]) == ("Titel ü", "2024-10-16", "x-9")


def test_text_plain_latin1_charset_is_decoded(api, client):
    text = "Grüße aus Köln – „Zitat“? Nein: « Zitat » und ß."
    latin = text.replace("–", "-").replace("„", '"').replace("“", '"')
    response = client.post("/v1/articles", data=latin.encode("latin-1"), content_type="text/plain; charset=latin-1")
    assert api.article(assert_accepted(response)["id"])["text"] == latin


def test_text_plain_without_charset_is_utf8(api, client):
    response = client.post("/v1/articles", data=TRICKY.encode("utf-8"), content_type="text/plain")
    assert api.article(assert_accepted(response)["id"])["text"] == TRICKY


def test_multipart_upload_with_form_fields_and_metadata(api, client):
    data = {
        "file": (io.BytesIO(TRICKY.encode("utf-8")), "artikel.txt", "text/plain; charset=utf-8"),
        "title": "Hochgeladen", "published_at": "2024-10-15", "source": "upload",
        "metadata": json.dumps({"quelle": "Datei", "seiten": 2}),
    }
    body = assert_accepted(client.post("/v1/articles", data=data, content_type="multipart/form-data"))
    stored = api.article(body["id"])
    assert stored["text"] == TRICKY
    assert stored["title"] == "Hochgeladen" and stored["published_at"] == "2024-10-15"
    assert stored["source"] == "upload" and stored["metadata"] == {"quelle": "Datei", "seiten": 2}


def test_multipart_latin1_file(api, client):
    data = {"file": (io.BytesIO("Öl für Ämter".encode("latin-1")), "a.txt", "text/plain; charset=iso-8859-1")}
    body = assert_accepted(client.post("/v1/articles", data=data, content_type="multipart/form-data"))
    assert api.article(body["id"])["text"] == "Öl für Ämter"


def test_each_submission_is_a_new_article(api):
    first, second = api.submit("Gleich."), api.submit("Gleich.")
    assert first["id"] != second["id"] and first["job"]["id"] != second["job"]["id"]
    assert api.counts()["articles"] == 2


def test_a_second_app_does_not_take_over_the_first_ones_database(api, client, tmp_path, migrated_sqlite):
    from tests.api.conftest import _migrated_app, create_key, keyed_client
    first = api.submit("Im ersten.")
    other = _migrated_app(Settings(data_dir=str(tmp_path / "other")), migrated_sqlite)
    assert keyed_client(other, create_key(other)).get("/v1/articles").get_json()["items"] == []
    assert api.list_ids() == [first["id"]]
    other.extensions["lagebild_db"].engine.dispose()


# --- batches ---------------------------------------------------------------------------------

def test_batch_is_accepted_in_order(api, client):
    texts = ["Erster „Text“.", "Zweiter\r\nText.", "Dritter Text."]
    response = client.post("/v1/articles:batch", json={"articles": [
        {"text": t, "external_id": f"b{n}"} for n, t in enumerate(texts)]})
    assert response.status_code == 202, response.get_data(as_text=True)
    assert int(response.headers["Retry-After"]) >= 1
    items = response.get_json()["items"]
    assert [item["text"] for item in items] == texts
    assert [item["external_id"] for item in items] == ["b0", "b1", "b2"]
    assert len({item["job"]["id"] for item in items}) == 3
    assert all(item["job"]["status"] == "queued" for item in items)
    assert api.counts()["articles"] == 3 and api.counts()["jobs"] == 3
    for item in items:
        assert api.article(item["id"])["text"] == item["text"]


def test_batch_is_all_or_nothing(api, client, problem):
    response = client.post("/v1/articles:batch", json={"articles": [{"text": "gut"}, {"text": "   "}, {"text": "ok"}]})
    body = problem(response, 422, "validation-error", field="articles[1].text")
    assert "articles[0].text" not in [e["field"] for e in body["errors"]]
    api.assert_nothing_written()


def test_batch_item_with_unknown_field_names_it(api, client, problem):
    response = client.post("/v1/articles:batch", json={"articles": [{"text": "a"}, {"text": "b", "titel": "x"}]})
    problem(response, 422, field="articles[1].titel")
    api.assert_nothing_written()


def test_batch_over_the_limit_is_422(api, client, problem):
    # LAGEBILD_BATCH_LIMIT is 5 in the fixture; more articles is a validation error on `articles`
    response = client.post("/v1/articles:batch", json={"articles": [{"text": f"T{n}"} for n in range(6)]})
    body = problem(response, 422, "validation-error", field="articles")
    assert "at most 5" in body["detail"]
    api.assert_nothing_written()


def test_bare_list_batch_respects_the_limit(api, client, problem):
    problem(client.post("/v1/articles:batch", json=[{"text": f"T{n}"} for n in range(6)]), 422, field="articles")
    api.assert_nothing_written()


def test_batch_at_the_limit_is_accepted(client):
    response = client.post("/v1/articles:batch", json={"articles": [{"text": f"T{n}"} for n in range(5)]})
    assert response.status_code == 202 and len(response.get_json()["items"]) == 5


def test_batch_item_text_over_limit_is_413(api, client, problem):
    response = client.post("/v1/articles:batch", json={"articles": [{"text": "a"}, {"text": "ü" * 2501}]})
    assert "articles[1].text" in problem(response, 413)["detail"]
    api.assert_nothing_written()


@pytest.mark.parametrize("payload", [{"articles": []}, {}, {"articles": "x"}, {"articles": [{"text": "a"}], "x": 1}])
def test_batch_shape_errors_are_422(api, problem, payload):
    problem(api.client.post("/v1/articles:batch", json=payload), 422, "validation-error")
    api.assert_nothing_written()


def test_batch_needs_json(api, client, problem):
    problem(client.post("/v1/articles:batch", data="Text", content_type="text/plain"), 415, "unsupported-media-type")
    problem(client.post("/v1/articles:batch", data=b"{", content_type="application/json"), 400, "malformed-request")
    api.assert_nothing_written()
