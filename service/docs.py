"""The contract and the human-readable docs: /openapi.yaml, /openapi.json and /docs.

/docs is Swagger UI served from the swagger-ui-bundle package's files (no CDN: the service
must document itself without internet). `openapi_yaml()` is also what `lagebild openapi`
writes to openapi.yaml, so the committed contract is exactly what the code serves.
"""
from __future__ import annotations

import swagger_ui_bundle
import yaml
from flask import Flask, Response, send_from_directory

from service.api import SECURITY, api
from service.resources.actors.routes import blp as actors
from service.resources.articles.routes import blp as articles
from service.resources.events.routes import blp as events
from service.resources.extractions.routes import blp as extractions
from service.resources.health.routes import blp as health
from service.resources.jobs.routes import blp as jobs
from service.resources.webhooks.routes import blp as webhooks

BLUEPRINTS = (articles, extractions, jobs, actors, health, events, webhooks)

SPEC_OPTIONS = {
    "info": {
        "description": (
            "Lagebild turns German news articles into a situation picture: actors, events and "
            "quotes. Post an article (202 + a job to poll); each extraction run stores a new, "
            "immutable version of the result (schema version 1). A new version is created when "
            "an article is submitted and on every `POST /v1/articles/{id}/extractions`; versions "
            "are never changed or reused. Errors are RFC 9457 problem details."),
        "license": {"name": "Apache-2.0"},
    },
    "security": SECURITY,
    "tags": [{"name": name, "description": blp.description} for name, blp in
             (("articles", articles), ("extractions", extractions), ("jobs", jobs), ("actors", actors),
              ("health", health), ("events", events), ("webhooks", webhooks))],
}


def init_app(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)

    @app.get("/openapi.yaml")
    def openapi_yaml_route():
        return Response(openapi_yaml(), mimetype="application/yaml")

    @app.get("/docs/assets/<path:filename>")
    def docs_assets(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


def openapi_yaml() -> str:
    """The OpenAPI document of the registered API, as YAML with a stable key order."""
    spec = api.spec.to_dict()
    ordered = {key: spec[key] for key in ("openapi", "info", "tags", "paths", "components") if key in spec}
    ordered.update({key: value for key, value in spec.items() if key not in ordered})
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=100)
