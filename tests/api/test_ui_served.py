"""The analyst's view is served by the API itself: / leads to /ui/, every page path answers
the same index.html, the built assets are immutable, and all of it runs under a CSP that allows
nothing inline and nothing from another host. None of it is an API operation."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from service.headers import UI_POLICY
from service.ui import STATIC

PAGES = ("/ui/", "/ui/login", "/ui/submit", "/ui/articles/3f2c9a7e8b1d4c6fa0e5d7b9c1a2f3e4",
         "/ui/actors/person:andrey-belousov", "/ui/actors/person%3Aandrey-belousov", "/ui/stories", "/ui/nowhere")


def test_the_root_leads_to_the_analysts_view(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/ui/"
    assert client.get("/ui").status_code in (301, 308)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_path_answers_the_app_under_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.get_data() == (STATIC / "index.html").read_bytes()
    assert response.headers["Content-Security-Policy"] == UI_POLICY
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_policy_allows_only_this_service_and_nothing_inline():
    directives = dict(part.strip().split(" ", 1) for part in UI_POLICY.split(";"))
    for name in ("script-src", "style-src", "connect-src", "font-src"):
        assert directives[name] == "'self'", name
    assert directives["img-src"] == "'self' data:"
    assert directives["frame-ancestors"] == "'none'" and directives["default-src"] == "'none'"
    assert "unsafe" not in UI_POLICY


def test_the_page_has_no_inline_code_and_names_assets_that_are_served(client):
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html)
    assets = re.findall(r'(?:src|href)="(/ui/assets/[^"]+)"', html)
    assert len(assets) == 3, assets  # the script, the stylesheet, the icon
    for path in assets:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Security-Policy"] == UI_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert {client.get(path).mimetype for path in assets} == {"text/javascript", "text/css", "image/svg+xml"}


def test_the_bundle_names_no_other_host_and_writes_no_html():
    for path in (STATIC / "assets").iterdir():
        text = path.read_text(encoding="utf-8")
        hosts = set(re.findall(r"https?://([a-z0-9.-]+)", text)) - {"www.w3.org"}  # the SVG namespace
        assert not hosts, f"{path.name} names {hosts}"
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text, "API data goes in as text nodes"


def test_an_unknown_asset_is_a_problem_not_the_app(client):
    response = client.get("/ui/assets/nope.js")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_ui_paths_are_not_api_operations(client):
    import yaml
    paths = yaml.safe_load(client.get("/openapi.yaml").get_data(as_text=True))["paths"]
    assert not [path for path in paths if path == "/" or path.startswith("/ui")]
    assert "Authorization" not in client.get("/ui/").headers.get("Vary", "")


def sources_digest(ui: Path) -> str:
    """What ui/build.mjs writes to service/ui/static/SOURCES (the same walk, the same hash)."""
    files = sorted([*(p.relative_to(ui).as_posix() for p in (ui / "src").rglob("*") if p.is_file()),
                    "build.mjs", "package.json", "package-lock.json"])
    digest = hashlib.sha256()
    for name in files:
        digest.update(f"{name}\n".encode())
        digest.update((ui / name).read_bytes())
        digest.update(b"\n")
    return digest.hexdigest()


def test_the_committed_build_matches_its_sources():
    """`make ui` ran after the last change of ui/: the build stamps the digest of its sources."""
    stamp = (STATIC / "SOURCES").read_text(encoding="utf-8").strip()
    assert stamp == sources_digest(Path(__file__).resolve().parents[2] / "ui"), \
        "service/ui/static/ is stale: run `make ui` and commit it"
