"""The analyst's view: a single-page web app under /ui/ that reads the public API like any client.

Its source is in ui/ at the top of the repository; `make ui` builds it into service/ui/static/
(committed, so a clone runs without npm). Every page path (/ui/, /ui/login, /ui/articles/<id>,
/ui/actors/<id>, /ui/stories, ...) answers the same index.html and the app routes in the browser;
the built files are under /ui/assets/. These are not API operations: they carry no key (the page
asks for one and sends it as `Authorization: Bearer` on its API calls) and are not in openapi.yaml.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, abort, redirect, send_from_directory

STATIC = Path(__file__).parent / "static"
# the built assets carry a content hash in their names (ui/build.mjs), so they never change
IMMUTABLE_SECONDS = 31536000

blp = Blueprint("ui", __name__, url_prefix="/ui")


def _index():
    if not (STATIC / "index.html").is_file():
        abort(404)  # an installation without the built front end (run `make ui`)
    response = send_from_directory(STATIC, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"  # the next build names other assets
    return response


@blp.get("/")
@blp.get("/<path:page>")
def page(page: str = ""):
    """Any page of the app: the router in the browser decides what to show."""
    return _index()


@blp.get("/assets/<path:filename>")
def asset(filename: str):
    response = send_from_directory(STATIC / "assets", filename, max_age=IMMUTABLE_SECONDS)
    response.headers["Cache-Control"] = f"public, max-age={IMMUTABLE_SECONDS}, immutable"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(blp)
    app.add_url_rule("/", "root", lambda: redirect("/ui/", code=302))
