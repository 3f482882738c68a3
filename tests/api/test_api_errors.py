"""Rejected requests: each one is a problem+json with the right status, and writes nothing."""
from __future__ import annotations

import io

import pytest

JSON = "application/json"
TEXT = "text/plain"

# (id, body bytes, content type, query, status, slug, invalid field)
REJECTED = [
    ("malformed-json", b'{"text": "a"', JSON, {}, 400, "malformed-request", None),
    ("empty-json", b"", JSON, {}, 400, "malformed-request", None),
    ("json-array", b'["text"]', JSON, {}, 422, "validation-error", ""),
    ("json-string", b'"text"', JSON, {}, 422, "validation-error", ""),
    ("json-null", b"null", JSON, {}, 422, "validation-error", ""),
    ("no-content-type", b"text", None, {}, 415, "unsupported-media-type", None),
    ("xml", b"<a>text</a>", "application/xml", {}, 415, "unsupported-media-type", None),
    ("form-urlencoded", b"text=abc", "application/x-www-form-urlencoded", {}, 415, "unsupported-media-type", None),
    ("unknown-charset", b"abc", "text/plain; charset=klingon", {}, 415, "unsupported-media-type", None),
    ("missing-text", b'{"title": "t"}', JSON, {}, 422, "validation-error", "text"),
    ("text-not-string", b'{"text": 42}', JSON, {}, 422, "validation-error", "text"),
    ("empty-text-json", b'{"text": ""}', JSON, {}, 422, "validation-error", "text"),
    ("whitespace-json", b'{"text": " \\r\\n\\t "}', JSON, {}, 422, "validation-error", "text"),
    ("empty-text-plain", b"", TEXT, {}, 422, "validation-error", "text"),
    ("whitespace-text-plain", " \r\n\t\u00a0\u3000 ".encode(), TEXT, {}, 422, "validation-error", "text"),
    ("bad-date-json", b'{"text": "a", "published_at": "2024-02-30"}', JSON, {}, 422, "validation-error",
     "published_at"),
    ("bad-date-words", b'{"text": "a", "published_at": "gestern"}', JSON, {}, 422, "validation-error", "published_at"),
    ("bad-date-type", b'{"text": "a", "published_at": 20241016}', JSON, {}, 422, "validation-error", "published_at"),
    ("date-overflow-low", b'{"text": "a", "published_at": "0001-01-01T00:30:00+01:00"}', JSON, {}, 422,
     "validation-error", "published_at"),
    ("date-overflow-high", b'{"text": "a", "published_at": "9999-12-31T23:00:00-05:00"}', JSON, {}, 422,
     "validation-error", "published_at"),
    ("bad-date-query", b"Text", TEXT, {"published_at": "16.10.2024"}, 422, "validation-error", "published_at"),
    ("unknown-field", b'{"text": "a", "titel": "x"}', JSON, {}, 422, "validation-error", "titel"),
    ("bad-url", b'{"text": "a", "url": "ftp://x.org/a"}', JSON, {}, 422, "validation-error", "url"),
    ("bad-language", b'{"text": "a", "language": "en"}', JSON, {}, 422, "validation-error", "language"),
    ("metadata-not-object", b'{"text": "a", "metadata": [1]}', JSON, {}, 422, "validation-error", "metadata"),
    ("title-too-long", b'{"text": "a", "title": "' + b"t" * 1001 + b'"}', JSON, {}, 422, "validation-error", "title"),
    ("invalid-utf8-json", b'{"text": "Gr\xfc\xdfe"}', JSON, {}, 400, "malformed-request", None),
    ("invalid-utf8-text", "Grüße".encode("latin-1"), TEXT, {}, 400, "malformed-request", None),
    ("invalid-utf8-text-charset", b"\xff\xfe\xfd", "text/plain; charset=utf-8", {}, 400, "malformed-request", None),
    ("nul-json", b'{"text": "a\\u0000b"}', JSON, {}, 422, "validation-error", "text"),
    ("nul-text-plain", b"a\x00b", TEXT, {}, 422, "validation-error", "text"),
    ("lone-surrogate", b'{"text": "a\\ud800b"}', JSON, {}, 422, "validation-error", "text"),
    ("low-surrogate-title", b'{"text": "a", "title": "\\udc00"}', JSON, {}, 422, "validation-error", "title"),
    ("nul-in-metadata", b'{"text": "a", "metadata": {"k": ["\\u0000"]}}', JSON, {}, 422, "validation-error",
     "metadata"),
    ("nan-in-metadata", b'{"text": "a", "metadata": {"k": NaN}}', JSON, {}, 422, "validation-error", "metadata"),
    ("infinity-in-metadata", b'{"text": "a", "metadata": {"k": [1, -Infinity]}}', JSON, {}, 422,
     "validation-error", "metadata"),
    ("overflowing-number-in-metadata", b'{"text": "a", "metadata": {"k": 1e400}}', JSON, {}, 422,
     "validation-error", "metadata"),
    ("surrogate-metadata-key", b'{"text": "a", "metadata": {"\\ud83d": 1}}', JSON, {}, 422, "validation-error",
     "metadata"),
    ("text-over-limit", b"x" * 5001, TEXT, {}, 413, "payload-too-large", None),
    ("text-over-limit-multibyte", "ä".encode() * 2501, TEXT, {}, 413, "payload-too-large", None),
    ("request-over-limit", b'{"text": "' + b"x" * 200_001 + b'"}', JSON, {}, 413, None, None),
]


@pytest.mark.parametrize("body, content_type, query, status, slug, field",
                         [case[1:] for case in REJECTED], ids=[case[0] for case in REJECTED])
def test_rejected_article_writes_nothing(api, problem, body, content_type, query, status, slug, field):
    headers = {"Content-Type": content_type} if content_type else {}
    response = api.client.post("/v1/articles", data=body, headers=headers, query_string=query)
    problem(response, status, slug, field)
    api.assert_nothing_written()


def test_text_at_the_limit_is_accepted(client):
    assert client.post("/v1/articles", data=b"x" * 5000, content_type=TEXT).status_code == 202
    assert client.post("/v1/articles", data="ä".encode() * 2500, content_type=TEXT).status_code == 202


def test_validation_problem_lists_every_invalid_field(client, problem):
    response = client.post("/v1/articles", json={"text": "", "published_at": "x", "url": "nope", "extra": 1})
    body = problem(response, 422, "validation-error")
    assert {e["field"] for e in body["errors"]} == {"text", "published_at", "url", "extra"}


def test_rejected_request_leaves_existing_data_alone(api, client, problem):
    api.submit("Schon da.")
    before = api.counts()
    problem(client.post("/v1/articles", json={"text": " "}), 422)
    problem(client.post("/v1/articles:batch", json={"articles": [{"text": "a"}, {"text": 1}]}), 422)
    assert api.counts() == before
    assert len(api.list_ids()) == 1


@pytest.mark.parametrize("data, field", [
    ({}, "file"),
    ({"file": (io.BytesIO(b"Text"), "a.txt"), "metadata": "{kein json"}, "metadata"),
    ({"file": (io.BytesIO(b"Text"), "a.txt"), "metadata": "[1, 2]"}, "metadata"),
    ({"file": (io.BytesIO(b"Text"), "a.txt"), "published_at": "morgen"}, "published_at"),
    ({"file": (io.BytesIO(b"  \n "), "a.txt")}, "text"),
    ({"file": (io.BytesIO(b"a\x00b"), "a.txt")}, "text"),
    ({"file": (io.BytesIO(b"Text"), "a.txt"), "metadata": '{"k": "\\ud800"}'}, "metadata"),
    ({"file": (io.BytesIO(b"Text"), "a.txt"), "metadata": '{"k": NaN}'}, "metadata"),
])
def test_rejected_multipart_upload(api, problem, data, field):
    response = api.client.post("/v1/articles", data=data, content_type="multipart/form-data")
    problem(response, 422, "validation-error", field)
    api.assert_nothing_written()


def test_multipart_invalid_utf8_and_oversize(api, client, problem):
    bad = {"file": (io.BytesIO(b"\xff\xfe kaputt"), "a.txt", "text/plain")}
    problem(client.post("/v1/articles", data=bad, content_type="multipart/form-data"), 422, field="file")
    big = {"file": (io.BytesIO(b"x" * 5001), "a.txt")}
    problem(client.post("/v1/articles", data=big, content_type="multipart/form-data"), 413, "payload-too-large")
    huge = {"file": (io.BytesIO(b"x" * 250_000), "a.txt")}
    problem(client.post("/v1/articles", data=huge, content_type="multipart/form-data"), 413)
    api.assert_nothing_written()


@pytest.mark.parametrize("method, url", [
    ("get", "/v1/articles/0123456789abcdef0123456789abcdef"),
    ("delete", "/v1/articles/0123456789abcdef0123456789abcdef"),
    ("get", "/v1/articles/nope/extractions"),
    ("get", "/v1/articles/nope/extractions/1"),
    ("get", "/v1/articles/nope/extractions/latest"),
    ("post", "/v1/articles/nope/extractions"),
    ("get", "/v1/jobs/0123456789abcdef0123456789abcdef"),
    ("get", "/v2/articles"),
    ("get", "/nowhere"),
    ("post", "/v1/article"),
])
def test_unknown_resources_are_404(api, problem, method, url):
    problem(getattr(api.client, method)(url), 404, "not-found")
    api.assert_nothing_written()


@pytest.mark.parametrize("method, url", [
    ("put", "/v1/articles"), ("delete", "/v1/articles"), ("patch", "/v1/articles/abc"),
    ("get", "/v1/articles:batch"), ("delete", "/v1/jobs/abc"), ("post", "/v1/jobs/abc"), ("post", "/healthz"),
])
def test_wrong_method_is_405_with_allow(api, problem, method, url):
    response = getattr(api.client, method)(url)
    problem(response, 405, "method-not-allowed")
    assert response.headers["Allow"]
    api.assert_nothing_written()


def test_errors_are_never_html(client):
    for response in (client.get("/nowhere", headers={"Accept": "text/html"}),
                     client.put("/v1/articles", headers={"Accept": "text/html"})):
        assert response.mimetype == "application/problem+json"
        assert b"<" not in response.data


def test_unexpected_error_is_a_problem_without_internals(api, client, problem, monkeypatch):
    from lagebild_core import domain

    def boom(*_args, **_kwargs):
        raise RuntimeError("secret internal state")
    monkeypatch.setattr(domain, "submit_articles", boom)
    body = problem(client.post("/v1/articles", json={"text": "a"}), 500, "internal-error")
    assert "secret" not in body["detail"]
    api.assert_nothing_written()


def test_database_down_is_503_with_retry_after(tmp_path, problem):
    from service.app import create_app
    from lagebild_core.settings import Settings

    app = create_app(Settings(data_dir=str(tmp_path), spacy_model="blank:de",
                              database_url="postgresql+psycopg://lagebild:x@127.0.0.1:1/lagebild"))
    client = app.test_client()
    # a well-formed key: checking it needs the database, which is down
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer lgb_0123456789abcdef_" + "x" * 43
    for response in (client.post("/v1/articles", json={"text": "a"}), client.get("/v1/articles")):
        problem(response, 503, "service-unavailable")
        assert int(response.headers["Retry-After"]) >= 1
    app.extensions["lagebild_db"].engine.dispose()


def test_over_long_url_is_a_414_problem(client, problem):
    body = problem(client.get("/v1/articles?q=" + "x" * 9000), 414)
    assert "8192" in body["detail"]
