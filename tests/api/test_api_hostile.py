"""The hostile inputs of issue 14, each a regression test: every one answers a clear 4xx
problem and writes nothing; plus the security headers and CORS."""
from __future__ import annotations

import base64
import io
import json

import pytest

from lagebild_core.settings import Settings
from service.resources.common import METADATA_MAX_BYTES, METADATA_MAX_DEPTH


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize("depth", [METADATA_MAX_DEPTH + 1, 946, 947, 955, 962])
def test_deep_metadata_is_422_and_writes_nothing(api, client, problem, depth):
    body = '{"text": "Ein Text.", "metadata": ' + '{"a": ' * depth + "{}" + "}" * depth + "}"
    response = client.post("/v1/articles", data=body, content_type="application/json")
    assert response.status_code in (400, 422)  # too deep for the JSON parser itself is a 400
    problem(response, response.status_code)
    api.assert_nothing_written()


def test_metadata_at_the_depth_limit_is_accepted(api, client):
    api.submit(metadata=nested(METADATA_MAX_DEPTH - 1))  # the object itself is the first level


def test_large_metadata_is_422(api, client, problem):
    response = client.post("/v1/articles", json={"text": "Ein Text.", "metadata": {"x": "y" * METADATA_MAX_BYTES}})
    assert "65536" in problem(response, 422, "validation-error", field="metadata")["detail"]
    api.assert_nothing_written()


def test_lone_surrogate_in_url_is_422(api, client, problem):
    body = '{"text": "Ein Text.", "url": "http://a.de/\\ud800"}'
    problem(client.post("/v1/articles", data=body, content_type="application/json"), 422, field="url")
    api.assert_nothing_written()


def test_multipart_metadata_nested_5000_deep_is_422(api, client, problem):
    response = client.post("/v1/articles", content_type="multipart/form-data", data={
        "file": (io.BytesIO("Ein Text.".encode()), "a.txt", "text/plain"),
        "metadata": "[" * 5000 + "]" * 5000})
    problem(response, 422, field="metadata")
    api.assert_nothing_written()


OVERFLOW = base64.urlsafe_b64encode((2**31).to_bytes(6, "big")).decode()  # one past a 32-bit position


@pytest.mark.parametrize("cursor", [
    OVERFLOW, base64.urlsafe_b64encode((2**63).to_bytes(9, "big")).decode(),
    base64.urlsafe_b64encode(b"p:9223372036854775808").decode().rstrip("="),  # the old form
    "AAAAAAA", "AAAAAAAAA", "AAAAAAA=", "AAAAAA+/", "AAA AAAA"])
def test_cursors_the_service_never_issued_are_422(client, problem, cursor):
    for path in ("/v1/articles", "/v1/actors", "/v1/events"):
        problem(client.get(path, query_string={"cursor": cursor}), 422, field="cursor")


@pytest.mark.parametrize("position", [0, 1, 2**31 - 1])
def test_every_cursor_of_the_documented_shape_is_a_page(client, position):
    from lagebild_core.pagination import encode_cursor
    for path in ("/v1/articles", "/v1/actors", "/v1/events"):
        assert client.get(path, query_string={"cursor": encode_cursor(position)}).status_code == 200


@pytest.mark.parametrize("body", [
    {"text": "Ein Text.", "url": ""}, {"text": "Ein Text.", "url": "ftp://a.de/x"},
    {"text": "Ein Text.", "url": "http://a b.de/"}, {"text": ""}, {"text": "\u3000\x1c\n"}])
def test_empty_or_blank_fields_are_422_alone_and_in_batches(api, client, problem, body):
    field = next(name for name in ("url", "text") if name in body and (name == "url" or not body[name].strip()))
    problem(client.post("/v1/articles", json=body), 422, field=field)
    problem(client.post("/v1/articles:batch", json={"articles": [body]}), 422, field=f"articles[0].{field}")
    api.assert_nothing_written()


def test_query_fields_are_checked_whatever_the_body(api, client, problem):
    """The article fields in the query are part of the operation: invalid ones are a 422 even when
    the JSON body gives the same field."""
    problem(client.post("/v1/articles?title=" + "x" * 1001, json={"text": "Ein Text.", "title": "T"}), 422, field="title")
    problem(client.post("/v1/articles?url=", json={"text": "Ein Text."}), 422, field="url")
    api.assert_nothing_written()


def test_any_http_url_is_stored_as_given(api, client):
    """URLs are stored, never fetched: hosts without a dot (intranet names) are accepted."""
    response = client.post("/v1/articles", json={"text": "Ein Text.", "url": "http://intranet/a?b=c#d"})
    assert response.status_code == 202
    assert response.get_json()["url"] == "http://intranet/a?b=c#d"


def test_lists_carry_metadata_only_when_asked(api, client):
    api.submit(metadata={"k": "v"})
    assert "metadata" not in api.get_json("/v1/articles")["items"][0]
    page = api.get_json("/v1/articles", query_string={"include_metadata": "true", "limit": 1})
    assert page["items"][0]["metadata"] == {"k": "v"}


@pytest.mark.parametrize("q", ["%", "_", "\\", "%%"])
def test_actor_search_treats_like_wildcards_as_text(api, client, run_job, q):
    run_job(api.submit()["job"]["id"])
    assert api.get_json("/v1/actors")["items"]
    assert api.get_json("/v1/actors", query_string={"q": q})["items"] == []


def test_an_unreadable_article_fails_its_job_instead_of_looping(api, client, run_job, monkeypatch):
    from lagebild_core import domain
    article = api.submit()

    def unreadable(*_args, **_kwargs):
        raise RecursionError("maximum recursion depth exceeded while decoding a JSON object")
    monkeypatch.setattr(domain, "start_job", unreadable)
    assert run_job(article["job"]["id"]) is None
    job = api.job(article["job"]["id"])
    assert job["status"] == "failed" and job["error"]["type"].endswith("unreadable-article")
    assert api.article(article["id"])["status"] == "failed"


def test_a_text_without_breaks_or_spaces_parses_in_chunks(blank_pipeline):
    text = "a" * 120_000
    assert blank_pipeline.parse(text).text == text


def test_security_headers_on_every_answer(client):
    for response in (client.get("/v1/articles"), client.get("/v1/articles/nope"), client.get("/healthz"),
                     client.get("/openapi.yaml"), client.get("/docs")):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "Access-Control-Allow-Origin" not in response.headers
    assert "script-src 'self'" in client.get("/docs").headers["Content-Security-Policy"]
    assert client.get("/v1/articles").headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_cors_only_for_listed_origins(tmp_path):
    from service.app import create_app
    app = create_app(Settings(data_dir=str(tmp_path), cors_origins="https://app.example, https://b.example/"))
    client = app.test_client()
    allowed = client.get("/healthz", headers={"Origin": "https://b.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://b.example"
    assert "Origin" in allowed.headers["Vary"]
    assert "Access-Control-Allow-Origin" not in client.get("/healthz", headers={"Origin": "https://evil.example"}).headers
    preflight = client.options("/v1/articles", headers={"Origin": "https://app.example",
                                                        "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204 and "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    app.extensions["lagebild_db"].engine.dispose()
