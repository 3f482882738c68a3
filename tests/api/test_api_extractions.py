"""Extraction versions: immutable documents, ETags and caching, `latest`, reruns, schema v1."""
from __future__ import annotations

import json

import marshmallow as ma
import pytest

from service.resources.extractions.schemas import ExtractionSchema

TOP_LEVEL = {"schema_version", "article_id", "version", "created_at", "pipeline", "language", "published_at",
             "actors", "events", "quotes"}
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture
def done(api, run_job) -> dict:
    """An article whose first extraction has been stored."""
    from tests.api.conftest import SAMPLE
    article = api.submit(SAMPLE, published_at="2024-10-16")
    assert run_job(article["job"]["id"]) == 1
    return article


def url(article, version="") -> str:
    return f"/v1/articles/{article['id']}/extractions" + (f"/{version}" if version != "" else "")


def test_version_one_is_immutable_and_cacheable(client, done):
    response = client.get(url(done, 1))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == IMMUTABLE
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/") and len(etag) > 10
    again = client.get(url(done, 1))
    assert again.headers["ETag"] == etag and again.data == response.data


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_if_none_match_is_304(client, done, header):
    etag = client.get(url(done, 1)).headers["ETag"]
    response = client.get(url(done, 1), headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag and response.headers["Cache-Control"] == IMMUTABLE


def test_other_etag_is_200(client, done):
    response = client.get(url(done, 1), headers={"If-None-Match": '"not-this-one"'})
    assert response.status_code == 200 and response.get_json()["version"] == 1


def test_latest_is_revalidated_and_points_to_the_version(client, done):
    numbered = client.get(url(done, 1))
    latest = client.get(url(done, "latest"))
    assert latest.status_code == 200
    assert latest.headers["Content-Location"] == url(done, 1)
    assert "immutable" not in latest.headers.get("Cache-Control", "")
    assert "max-age=31536000" not in latest.headers.get("Cache-Control", "")
    assert latest.headers["ETag"] == numbered.headers["ETag"] and latest.data == numbered.data
    assert client.get(url(done, "latest"), headers={"If-None-Match": numbered.headers["ETag"]}).status_code == 304


def test_document_conforms_to_schema_v1(client, done):
    from tests.api.conftest import SAMPLE
    document = client.get(url(done, 1)).get_json()
    assert set(document) >= TOP_LEVEL
    assert document["schema_version"] == "1"
    assert document["article_id"] == done["id"] and document["version"] == 1
    assert document["created_at"].endswith("Z")
    assert set(document["pipeline"]) == {"name", "version", "model"}
    assert all(isinstance(v, str) and v for v in document["pipeline"].values())
    assert document["pipeline"]["model"] == "blank:de"
    assert document["language"] == "de" and document["published_at"] == "2024-10-16"
    assert ExtractionSchema(unknown=ma.INCLUDE).validate(document) == {}
    spans = [q for q in document["quotes"]] + [q["speaker"] for q in document["quotes"] if q["speaker"]] \
        + [q["cue"] for q in document["quotes"] if q["cue"]] \
        + [m for a in document["actors"] for m in a["mentions"]] \
        + [m for e in document["events"] for m in (e["trigger"], e["evidence"], *e["mentions"])]
    assert document["quotes"], "the blank pipeline finds the direct quote in SAMPLE"
    for span in spans:
        assert SAMPLE[span["start"]:span["end"]] == span["text"]


def test_served_body_is_the_canonical_json(client, done):
    response = client.get(url(done, 1))
    document = json.loads(response.data)
    assert response.data.decode() == json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def test_list_newest_first(api, client, done, run_job):
    for expected in (2, 3):
        job = client.post(url(done)).get_json()
        assert run_job(job["id"]) == expected
    page = api.get_json(url(done))
    assert [item["version"] for item in page["items"]] == [3, 2, 1]
    first = page["items"][-1]
    assert first["link"] == url(done, 1) and first["job_id"] == done["job"]["id"]
    assert first["etag"] == client.get(url(done, 1)).headers["ETag"]
    assert set(first["counts"]) == {"actors", "events", "quotes"} and first["counts"]["quotes"] >= 1
    assert first["pipeline"]["model"] == "blank:de"
    two = api.get_json(url(done), query_string={"limit": 2})
    assert [i["version"] for i in two["items"]] == [3, 2]
    rest = api.get_json(two["next"])
    assert [i["version"] for i in rest["items"]] == [1] and rest["next"] is None


def test_rerun_adds_a_version_and_keeps_the_old_one(api, client, done, run_job):
    before = client.get(url(done, 1))
    response = client.post(url(done))
    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "queued" and job["article_id"] == done["id"]
    assert response.headers["Operation-Location"] == f"/v1/jobs/{job['id']}"
    assert response.headers["Location"] == f"/v1/articles/{done['id']}"
    assert int(response.headers["Retry-After"]) >= 1
    assert run_job(job["id"]) == 2
    after = client.get(url(done, 1))
    assert after.data == before.data and after.headers["ETag"] == before.headers["ETag"]
    second = client.get(url(done, 2))
    assert second.get_json()["version"] == 2 and second.headers["ETag"] != before.headers["ETag"]
    assert client.get(url(done, "latest")).headers["Content-Location"] == url(done, 2)
    assert api.job(job["id"])["links"]["result"] == url(done, 2)


def test_running_a_job_twice_stores_one_version(api, client, done, run_job):
    etag = client.get(url(done, 1)).headers["ETag"]
    assert run_job(done["job"]["id"]) is None
    assert api.counts()["extractions"] == 1
    assert client.get(url(done, 1)).headers["ETag"] == etag
    assert client.get(url(done, 2)).status_code == 404


def test_storing_a_result_twice_is_idempotent(api, done, blank_pipeline):
    from lagebild_core import domain
    document = blank_pipeline.extract("Anderer Text.")
    with api.app.extensions["lagebild_db"].transaction() as session:
        again = domain.store_extraction(session, done["job"]["id"], document)
        assert again.version == 1 and again.document["quotes"]  # the stored one, not the new document
    assert api.counts()["extractions"] == 1


@pytest.mark.parametrize("version", ["2", "0", "-1", "01", "01x", "abc", "1.0", "9999999999", "LATEST", "²", "١", "1 "])
def test_unknown_version_is_404(client, done, problem, version):
    problem(client.get(url(done, version)), 404, "not-found")


def test_latest_before_any_version_is_409_not_ready(api, client, problem):
    article = api.submit()
    response = client.get(url(article, "latest"))
    problem(response, 409, "not-ready")
    assert response.headers["Operation-Location"] == f"/v1/jobs/{article['job']['id']}"
    assert int(response.headers["Retry-After"]) >= 1
    problem(client.get(url(article, 1)), 404, "not-found")
    assert api.get_json(url(article)) == {"items": [], "next_cursor": None, "next": None}


def test_rerun_of_unknown_article_is_404_and_writes_nothing(api, client, problem):
    problem(client.post("/v1/articles/0123456789abcdef0123456789abcdef/extractions"), 404, "not-found")
    api.assert_nothing_written()


@pytest.mark.parametrize("query, field", [({"limit": 0}, "limit"), ({"cursor": "bogus"}, "cursor")])
def test_extraction_list_query_errors(client, done, problem, query, field):
    problem(client.get(url(done), query_string=query), 422, "validation-error", field)
