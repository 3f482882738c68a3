"""The application factory: configuration, then a short list of `init_app` calls."""
from __future__ import annotations

from flask import Flask

from lagebild_core import logs
from service import auth, capacity, docs, errors, headers, limits, longpoll, observability, read_cache, refresher, ui
from service.api import api
from lagebild_core.settings import Settings
from lagebild_core.store import Database
from service.queue import queue


def create_app(settings: Settings | None = None) -> Flask:
    """Return the Lagebild API for `settings` (default: from LAGEBILD_* variables)."""
    settings = settings or Settings.from_env()
    logs.configure(settings)
    app = Flask(__name__)
    app.config.update(
        LAGEBILD=settings,
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        API_TITLE="Lagebild API",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",
        API_SPEC_OPTIONS=docs.SPEC_OPTIONS,
    )
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    Database().init_app(app)  # one engine per app: a second app must not rewire the first one
    queue.init_app(app)
    capacity.init_app(app)
    read_cache.init_app(app)
    longpoll.init_app(app)
    api.init_app(app)
    docs.init_app(app)
    ui.init_app(app)
    errors.init_app(app)
    observability.init_app(app)  # first of the request hooks: every answer gets a request id
    headers.init_app(app)  # before auth: a CORS preflight carries no key
    auth.init_app(app)
    limits.init_app(app)  # after auth: it counts per key
    refresher.init_app(app)  # after auth and read_cache: it keeps their caches confirmed
    return app
