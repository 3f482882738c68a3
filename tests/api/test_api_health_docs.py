"""Probes, the served contract, the offline Swagger UI, and the committed openapi.yaml."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from service.app import create_app
from lagebild_core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
PROBES = ("/healthz", "/readyz")


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_checks_database_and_broker(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert "Retry-After" not in response.headers


@pytest.fixture
def app_without_database(tmp_path):
    app = create_app(Settings(data_dir=str(tmp_path), spacy_model="blank:de",
                              database_url="postgresql+psycopg://lagebild:s3cret-pw@127.0.0.1:1/lagebild"))
    yield app
    app.extensions["lagebild_db"].engine.dispose()


def test_readyz_is_503_when_the_database_is_down(app_without_database):
    client = app_without_database.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "application/json"  # a health report, not a problem
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"].startswith("error") and body["checks"]["broker"] == "ok"
    assert int(response.headers["Retry-After"]) >= 1
    assert "s3cret-pw" not in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # alive, just not ready


def test_readyz_is_503_when_the_broker_is_down(client, monkeypatch):
    from service.queue import queue

    def refuse():
        raise ConnectionRefusedError("Connection refused")
    monkeypatch.setattr(queue, "ping", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503 and int(response.headers["Retry-After"]) >= 1
    checks = response.get_json()["checks"]
    assert checks["database"] == "ok" and "ConnectionRefusedError" in checks["broker"]


# --- the contract ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spec(tmp_path_factory) -> dict:
    app = create_app(Settings(data_dir=str(tmp_path_factory.mktemp("openapi"))))
    with app.app_context():
        from service.docs import openapi_yaml
        return yaml.safe_load(openapi_yaml())


def test_openapi_is_served_as_yaml_and_json(client):
    as_yaml = client.get("/openapi.yaml")
    assert as_yaml.status_code == 200 and "yaml" in as_yaml.mimetype
    as_json = client.get("/openapi.json")
    assert as_json.status_code == 200 and as_json.mimetype == "application/json"
    assert yaml.safe_load(as_yaml.data) == as_json.get_json()
    assert as_json.get_json()["openapi"].startswith("3.")


def test_committed_openapi_yaml_is_what_the_code_generates(client):
    committed = (ROOT / "openapi.yaml").read_text(encoding="utf-8")
    from service.docs import openapi_yaml
    with client.application.app_context():
        generated = openapi_yaml()
    assert committed == generated, "openapi.yaml is out of date: run `make openapi` and commit it"


def operations(spec):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_is_documented(spec):
    seen = set()
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        assert operation.get("operationId"), where
        assert operation["operationId"] not in seen, f"duplicate operationId at {where}"
        seen.add(operation["operationId"])
        assert operation.get("summary"), where
        errors = [code for code in operation["responses"] if code.startswith("4")]
        assert errors or path in PROBES, f"{where} documents no 4xx response"
    assert {"create_article", "create_articles_batch", "list_articles", "get_article", "delete_article",
            "list_extractions", "get_extraction", "rerun_extraction", "get_job"} <= seen


def test_error_responses_are_problems(spec):
    for path, method, operation in operations(spec):
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")) and "$ref" in response:
                response = spec["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
            if code.startswith("4"):
                assert "application/problem+json" in response.get("content", {}), f"{method} {path} {code}"


def schemas_of(operation):
    for media in operation.get("requestBody", {}).get("content", {}).values():
        yield "request", media.get("schema")
    for code, response in operation["responses"].items():
        for media in response.get("content", {}).values():
            yield code, media.get("schema")


def test_bodies_use_named_components(spec):
    for path, method, operation in operations(spec):
        for where, schema in schemas_of(operation):
            if schema is None or schema.get("type") == "string":
                continue  # text/plain bodies are strings, not classes
            if schema.get("type") == "object" and all(p.get("type") == "string" for p in schema["properties"].values()):
                continue  # multipart/form-data: a form of strings and a file
            assert "$ref" in schema, f"{method.upper()} {path} {where}: inline schema {schema}"


def test_every_reference_resolves(spec):
    text = json.dumps(spec)
    for kind, name in set(re.findall(r'"#/components/(\w+)/(\w+)"', text)):
        assert name in spec["components"].get(kind, {}), f"dangling $ref #/components/{kind}/{name}"


def test_operations_have_examples(spec):
    for path, method, operation in operations(spec):
        for code, response in operation["responses"].items():
            for media in response.get("content", {}).values():
                if code.startswith("2"):
                    assert "example" in media or "examples" in media, f"{method.upper()} {path} {code}"


# --- Swagger UI without the internet ----------------------------------------------------------------

def test_docs_page_uses_local_assets(client):
    response = client.get("/docs")
    if response.status_code in (301, 308):
        response = client.get(response.headers["Location"])
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/docs/assets/") for src in sources), sources
    assert "http://" not in html and "https://" not in html
    assert "/openapi.json" in html


def test_swagger_assets_are_served(client):
    bundle = client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.data) > 100_000
    assert "javascript" in bundle.mimetype
    assert client.get("/docs/assets/swagger-ui.css").status_code == 200
    assert client.get("/docs/assets/no-such-file.js").status_code == 404
    assert client.get("/docs/assets/../../etc/passwd").status_code == 404
