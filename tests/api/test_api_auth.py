"""API keys and tenants: 401 without a valid key, 403 for a read-only key that writes, and one
tenant never reads, lists, re-runs or deletes another tenant's data (404, not 403)."""
from __future__ import annotations

import dataclasses
import hashlib

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from lagebild_core import keys
from lagebild_core.store.models import ApiKey

OPEN_PATHS = ("/healthz", "/readyz", "/openapi.yaml", "/openapi.json", "/docs")


def test_no_key_is_a_401_with_a_bearer_challenge(app, problem):
    anonymous = app.test_client()
    for method, path in (("get", "/v1/articles"), ("post", "/v1/articles"), ("get", "/v1/jobs/x"),
                         ("get", "/v1/actors"), ("get", "/v1/events"), ("get", "/v1/nowhere")):
        response = getattr(anonymous, method)(path, json={"text": "a"} if method == "post" else None)
        problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="lagebild"'


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic dXNlcjpwdw==", "Bearer lgb_nope",
                                    "Bearer lgb_0123456789abcdef_" + "x" * 43, "lgb_0123456789abcdef"])
def test_malformed_or_unknown_keys_are_401(app, problem, header):
    response = app.test_client().get("/v1/articles", headers={"Authorization": header})
    problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_open_paths_need_no_key(app):
    anonymous = app.test_client()
    for path in OPEN_PATHS:
        assert anonymous.get(path).status_code == 200, path


@pytest.fixture
def clock(app, monkeypatch):
    """The key cache's clock, moved by hand (seconds)."""
    now = [1000.0]
    monkeypatch.setattr(app.extensions["lagebild_keys"], "clock", lambda: now[0])
    return now


def test_a_revoked_key_is_refused_within_the_cache_window(app, client_of, problem, clock):
    client = client_of("tenant-r")
    assert client.get("/v1/articles").status_code == 200
    key_id = client.environ_base["HTTP_AUTHORIZATION"].split("_")[1]
    with app.extensions["lagebild_db"].transaction() as session:
        keys.revoke_key(session, key_id)
    window = app.config["LAGEBILD"].api_key_cache_seconds
    assert window > 0
    clock[0] += window - 0.5  # this process read the key before: it may still take it
    assert client.get("/v1/articles").status_code == 200
    clock[0] += 0.5  # the window is over: looked up again, and refused
    response = client.get("/v1/articles")
    problem(response, 401, "unauthorized")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    clock[0] += 0.1  # and stays refused (the revoked row is kept, not forgotten)
    problem(client.get("/v1/articles"), 401, "unauthorized")


def test_a_revoked_key_is_reloaded_by_the_refresher(app, client_of, problem, clock):
    """Within the window, without the request reading the key: the refresher (service/refresher.py) did."""
    from tests.api.test_read_cache import counted_queries
    client = client_of("tenant-r")
    assert client.get("/v1/articles").status_code == 200
    with app.extensions["lagebild_db"].transaction() as session:
        keys.revoke_key(session, client.environ_base["HTTP_AUTHORIZATION"].split("_")[1])
    clock[0] += app.config["LAGEBILD"].api_key_cache_seconds / 2
    app.extensions["lagebild_refresher"].run_once()
    with counted_queries(app) as statements:
        problem(client.get("/v1/articles"), 401, "unauthorized")  # well within the period
    assert not any("api_keys" in s for s in statements)  # the refresher had read it, not the request


def test_a_cached_key_is_still_checked_in_full(app, client, problem, clock):
    """The cache is by key id: the secret part is compared on every request, a wrong one refused."""
    key = client.environ_base["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    assert client.get("/v1/articles").status_code == 200
    forged = app.test_client()
    forged.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key[:-1]}{'A' if key[-1] != 'A' else 'B'}"
    problem(forged.get("/v1/articles"), 401, "unauthorized")


def test_a_key_created_after_a_miss_works_at_once(app, client_of):
    """Unknown ids are never kept: a key that did not exist a moment ago is not refused for a window."""
    unknown = app.test_client()
    unknown.environ_base["HTTP_AUTHORIZATION"] = "Bearer lgb_0123456789abcdef_" + "x" * 43
    assert unknown.get("/v1/articles").status_code == 401
    assert client_of("tenant-new").get("/v1/articles").status_code == 200


def test_without_a_cache_window_revocation_is_immediate(tmp_path, migrated_sqlite, problem):
    from tests.api.conftest import _migrated_app, _test_settings, create_key, keyed_client
    app = _migrated_app(dataclasses.replace(_test_settings(tmp_path), api_key_cache_seconds=0), migrated_sqlite)
    client = keyed_client(app, create_key(app, "tenant-z"))
    assert client.get("/v1/articles").status_code == 200
    with app.extensions["lagebild_db"].transaction() as session:
        keys.revoke_key(session, client.environ_base["HTTP_AUTHORIZATION"].split("_")[1])
    problem(client.get("/v1/articles"), 401, "unauthorized")
    app.extensions["lagebild_db"].engine.dispose()


def test_a_read_only_key_reads_but_cannot_write(api, client, client_of, problem):
    article = api.submit()
    reader = client_of("tenant-a", "read")
    assert reader.get(f"/v1/articles/{article['id']}").status_code == 200
    for response in (reader.post("/v1/articles", json={"text": "Neu."}),
                     reader.post("/v1/articles:batch", json={"articles": [{"text": "Neu."}]}),
                     reader.post(f"/v1/articles/{article['id']}/extractions"),
                     reader.delete(f"/v1/articles/{article['id']}")):
        problem(response, 403, "forbidden")
        assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert api.counts()["articles"] == 1 and api.counts()["jobs"] == 1


def test_keys_are_stored_hashed(app, client_of):
    with app.extensions["lagebild_db"].transaction() as session:
        row, key = keys.create_key(session, "tenant-h", "read")
    with app.extensions["lagebild_db"].transaction() as session:
        stored = session.scalar(select(ApiKey).where(ApiKey.id == row.id))
        assert stored.secret_sha256 == hashlib.sha256(key.encode()).hexdigest()
        assert key not in repr([getattr(stored, c.name) for c in ApiKey.__table__.columns])
        assert keys.authenticate(session, key).tenant == "tenant-h"
        assert keys.authenticate(session, key[:-1] + ("A" if key[-1] != "A" else "B")) is None


@pytest.mark.parametrize("tenant", ["", "-x", "a b", "x" * 65, "ä"])
def test_tenant_names_are_checked(app, tenant):
    from lagebild_core.exceptions import Invalid
    with pytest.raises(Invalid), app.extensions["lagebild_db"].transaction() as session:
        keys.create_key(session, tenant)


def test_tenants_are_isolated_on_every_resource(api, client, client_of, run_job, problem):
    """Tenant A's article, job, versions, actors and events are invisible to tenant B."""
    article = api.submit(external_id="a-1")
    job_id = article["job"]["id"]
    run_job(job_id)
    mine_actors = api.get_json("/v1/actors")["items"]
    assert mine_actors, "the sample names actors"
    other = client_of("tenant-b")
    base = f"/v1/articles/{article['id']}"
    for response in (other.get(base), other.get(f"{base}/extractions"), other.get(f"{base}/extractions/1"),
                     other.get(f"{base}/extractions/latest"), other.get(f"/v1/jobs/{job_id}"),
                     other.post(f"{base}/extractions"), other.delete(base),
                     other.get(f"/v1/actors/{mine_actors[0]['id']}")):
        problem(response, 404, "not-found")
    assert other.get("/v1/articles").get_json()["items"] == []
    assert other.get("/v1/articles", query_string={"external_id": "a-1"}).get_json()["items"] == []
    assert other.get("/v1/actors").get_json()["items"] == []
    assert other.get("/v1/events").get_json()["items"] == []
    assert api.article(article["id"])["latest_version"] == 1  # B's delete and re-run did nothing
    assert api.counts()["jobs"] == 1


def test_the_same_actor_in_two_tenants_is_two_registry_entries(api, client, client_of, run_job):
    other = client_of("tenant-b")
    run_job(api.submit()["job"]["id"])
    accepted = other.post("/v1/articles", json={"text": api_sample()})
    run_job(accepted.get_json()["job"]["id"])
    mine = {a["id"] for a in api.get_json("/v1/actors")["items"]}
    theirs = {a["id"] for a in other.get("/v1/actors").get_json()["items"]}
    assert mine and mine == theirs  # same global ids, one row per tenant
    for actor_id in mine:
        appearances = other.get(f"/v1/actors/{actor_id}").get_json()["appearances"]
        assert {a["article_id"] for a in appearances} == {accepted.get_json()["id"]}


def test_idempotency_keys_are_per_tenant(api, client, client_of):
    first = api.submit(headers={"Idempotency-Key": "k-1"})
    other = client_of("tenant-b").post("/v1/articles", json={"text": api_sample()},
                                       headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 202 and "Idempotent-Replayed" not in other.headers
    assert other.get_json()["id"] != first["id"]


def test_the_contract_declares_the_bearer_scheme(client):
    import yaml
    spec = yaml.safe_load(client.get("/openapi.yaml").get_data(as_text=True))
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]
        ["bearerAuth"]["description"]}
    assert spec["security"] == [{"bearerAuth": []}]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if path.startswith("/v1/"):
                assert "401" in operation["responses"], (method, path)
            else:
                assert operation["security"] == [], (method, path)


def test_keys_command_creates_lists_and_revokes(tmp_path, monkeypatch):
    from service.cli import main
    monkeypatch.setenv("LAGEBILD_DATA_DIR", str(tmp_path))
    for name in ("LAGEBILD_DATABASE_URL", "LAGEBILD_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    created = runner.invoke(main, ["keys", "create", "--tenant", "acme", "--scope", "read"])
    assert created.exit_code == 0, created.output
    key = created.output.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    listed = runner.invoke(main, ["keys", "list"])
    assert key_id in listed.output and "acme" in listed.output and "read" in listed.output
    assert key.split("_", 2)[2] not in listed.output, "a listing never shows the key"
    assert runner.invoke(main, ["keys", "revoke", key_id]).exit_code == 0
    assert runner.invoke(main, ["keys", "revoke", "nope"]).exit_code != 0
    assert runner.invoke(main, ["keys", "create", "--tenant", "a b"]).exit_code != 0
    listed = runner.invoke(main, ["keys", "list"]).output.splitlines()
    assert next(line for line in listed if line.startswith(key_id)).split("\t")[-1] != "-"


def api_sample() -> str:
    from tests.api.conftest import SAMPLE
    return SAMPLE
