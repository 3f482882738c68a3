"""A real browser for the analyst's view: Debian's Chromium driven by Playwright.

Playwright's own browser downloads are never used (`playwright install` needs the internet);
`launch` starts /usr/bin/chromium. `Watch` records what a page does that a test must rule out:
console errors, uncaught exceptions and requests to any other host. `axe_violations` runs the
vendored axe-core (tests/e2e/vendor/axe-core, MPL-2.0) for WCAG 2.x levels A and AA.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "tests" / "e2e" / "vendor" / "axe-core" / "axe.min.js"
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                      args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])


def served_paths() -> set[str]:
    """The paths of openapi.yaml: what this checkout's API answers."""
    return set(yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["paths"])


class Watch:
    """Console errors, page errors and foreign requests of every page of a browser context."""

    def __init__(self, context, base_url: str, missing_endpoints: tuple[str, ...] = ()):
        self.origin = urlsplit(base_url).netloc
        self.missing = missing_endpoints  # path prefixes this server lacks: their 404s are expected
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.requests: list[str] = []
        context.on("page", self._watch)
        context.on("request", self._request)

    def _watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))

    def _request(self, request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.netloc != self.origin:
            self.foreign_requests.append(request.url)

    def _console(self, message) -> None:
        if message.type != "error":
            return
        path = urlsplit(message.location.get("url", "")).path
        if "Failed to load resource" in message.text and any(path.startswith(prefix) or _matches(prefix, path)
                                                              for prefix in self.missing):
            return
        self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.foreign_requests, self.foreign_requests


def _matches(pattern: str, path: str) -> bool:
    """'/v1/actors/*/relations' matches '/v1/actors/person%3Ax/relations'."""
    want, have = pattern.strip("/").split("/"), path.strip("/").split("/")
    return len(want) == len(have) and all(w == "*" or w == h for w, h in zip(want, have))


def login(page, base_url: str, key: str) -> None:
    page.goto(f"{base_url}/ui/login")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/ui/")


def axe_violations(page) -> list[dict]:
    """The axe-core violations of WCAG 2.x A/AA on the page as it is now, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated through the DevTools protocol: a <script> tag would (rightly) be refused by the CSP
        page.evaluate("() => {\n" + AXE.read_text(encoding="utf-8") + "\n}")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_A_AA)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [node["target"] for node in v["nodes"]][:5]} for v in result["violations"]]
