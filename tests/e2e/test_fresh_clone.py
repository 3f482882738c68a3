"""Issue 19's "done when": a fresh clone driven through the README's quick start, API tour and
first ten minutes, with the commands taken from the README itself as a user would copy them.

The clone is `git clone` of this checkout's HEAD (with ../shared beside it, as in the project's
layout); it reuses the venv running the tests (a symlinked .venv, PYTHONPATH on the clone so its
code is the code under test) instead of installing again. The only edits to the README's
commands: the port (a free one, as `LAGEBILD_BIND=… make start` would give) and `curl` failing
on HTTP errors, so that a tour step that answers 4xx/5xx fails the test and not only the eye."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.support.live import ROOT, free_port

pytestmark = pytest.mark.e2e

SHARED = Path("/work/shared")
PRELUDE = "set -euo pipefail\ncurl() { command curl --fail-with-body \"$@\"; }\n"


def readme_blocks(section: str) -> list[str]:
    """The ```sh blocks of one `## section` of the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", body, flags=re.S)
    assert blocks, f"no ```sh block under '## {section}'"
    return blocks


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    base = tmp_path_factory.mktemp("fresh")
    folder = base / "lagebild"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True, timeout=300)
    if SHARED.exists():
        (base / "shared").symlink_to(SHARED)
    (folder / ".venv").symlink_to(Path(sys.prefix))  # the installed venv, not a second install
    os.utime(folder / "pyproject.toml", (0, 0))  # … which is as new as this checkout
    port = free_port()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("LAGEBILD_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PYTHONPATH=str(folder), LAGEBILD_BIND=f"127.0.0.1:{port}", PYTHONUNBUFFERED="1")
    dry = subprocess.run(["make", "-n", "start"], cwd=folder, env=env, capture_output=True, text=True, timeout=60)
    assert "pip" not in dry.stdout and "venv" not in dry.stdout.replace(".venv", ""), \
        f"make start would install into the shared venv:\n{dry.stdout}"

    def run(script: str, timeout: float = 600) -> subprocess.CompletedProcess:
        script = script.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        return subprocess.run(["bash", "-c", PRELUDE + script], cwd=folder, env=env, capture_output=True,
                              text=True, timeout=timeout)

    try:
        yield folder, port, run
    finally:
        subprocess.run(["make", "stop"], cwd=folder, env=env, capture_output=True, timeout=120)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def _one_line(result: subprocess.CompletedProcess, word: str) -> None:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and word in lines[0], result.stderr


def test_readme_on_a_fresh_clone(clone):
    folder, port, run = clone
    quick_start = "\n".join(readme_blocks("Quick start"))
    first = _ok(run(quick_start))
    for shown in (f"http://127.0.0.1:{port}/ui/", f"http://127.0.0.1:{port}/docs", "var/api-key", "make stop",
                  "Usage: lagebild"):
        assert shown in first, f"{shown!r} missing from:\n{first}"
    second = _ok(run(quick_start))
    assert "already running" in second

    key = (folder / "var" / "api-key").read_text().strip()
    assert key in first, "the summary prints the key to log in to the analyst's view with"
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {key}"
    base = f"http://127.0.0.1:{port}"
    page = requests.get(f"{base}/ui/", timeout=30)  # the built front end is in the clone
    assert page.status_code == 200 and 'src="/ui/assets/' in page.text
    articles = http.get(f"{base}/v1/articles", params={"limit": 100}, timeout=30).json()["items"]
    assert len(articles) == 5, "two `make start` must leave five seed articles"
    for article in articles:
        meta = json.loads((folder / "seeds" / f"{article['title']}.meta.json").read_text(encoding="utf-8"))
        assert article["external_id"] == meta["external_id"] and article["published_at"] == meta["published_at"]
        document = http.get(f"{base}{article['links']['latest_extraction']}", timeout=30).json()
        times = [event["time"] for event in document["events"] if event["time"]]
        assert all(time["value"] for time in times), (article["title"], times)
        if article["title"] == "000_49e7588e5b29a721":
            assert "2024-10-15" in {time["value"] for time in times}, "'am Dienstag' before 2024-10-16"

    activate = readme_blocks("Quick start")[1]
    tour = _ok(run(activate + "\n".join(readme_blocks("API tour"))))
    assert "HTTP/1.1 202" in tour and "Idempotent-Replayed" not in tour
    assert re.search(r"304\n", tour) and re.search(r"204\n", tour), "the tour's 304 and 204"
    assert 'href="/openapi.yaml"' in tour

    cli = activate + "cd var\n"  # a user's mistakes, one line each
    _one_line(run(cli + "LAGEBILD_API_KEY=falsch lagebild submit ../seeds/000_49e7588e5b29a721.txt"), "401")
    _one_line(run(cli + f"LAGEBILD_API_KEY={key} lagebild submit fehlt.txt"), "fehlt.txt")
    _one_line(run(cli + "lagebild extract api-key.missing"), "api-key.missing")

    ten = _ok(run(activate + "\n".join(readme_blocks("The first ten minutes"))))
    assert "sagte:" in ten and "2024-10-15" in ten, ten
    _one_line(run(cli + f"LAGEBILD_API_KEY={key} lagebild submit ../mein-artikel.txt"), "cannot reach")


def test_the_printed_address_and_key_show_the_seeds_highlighted(clone):
    """Issue 18's "done when": open the address `make start` printed, log in with the key it
    printed, and read each of the five seeds with its actors, quotes and events marked."""
    from tests.support.browser import DESKTOP, Watch, chromium_available, launch
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (scripts/ensure-test-tools.sh installs it)")
    from playwright.sync_api import sync_playwright
    folder, _, run = clone
    summary = _ok(run(readme_blocks("Quick start")[0]))
    address = re.search(r"open\s+(http://\S+/ui/)", summary).group(1)
    key = re.search(r"^\s*API key\s+(\S+)$", summary, flags=re.M).group(1)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport=DESKTOP)
        watch = Watch(context, address)
        page = context.new_page()
        page.goto(address)
        page.get_by_label("API key").fill(key)
        page.get_by_role("button", name="Log in").click()
        links = page.locator("table.list tbody a")
        links.first.wait_for()
        seeds = sorted(path.stem for path in (folder / "seeds").glob("*.txt"))
        # the tour, run earlier on the same clone, may have added articles of its own
        assert set(seeds) <= set(links.all_inner_texts())
        for title in seeds:
            page.get_by_role("link", name=title, exact=True).click()
            page.locator(".article-text mark").first.wait_for()
            for kind in ("actor", "quote", "event"):
                assert page.locator(f'.article-text mark[data-kind="{kind}"]').count() > 0, (title, kind)
            page.go_back()
            links.first.wait_for()
        browser.close()
    watch.assert_clean()
