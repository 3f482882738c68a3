"""Screenshots of the analyst's view for the README: docs/ui-article.png, docs/ui-actor.png,
docs/ui-stories.png. Starts `lagebild serve` (the embedded default, shipped model) in a
temporary folder, puts the five seeds in, and photographs the pages at 1280x800 in Debian's
Chromium. Usage: `PYTHONPATH=. python scripts/ui_screenshots.py [--output docs] [PAGE ...]`
(PAGE: article, actor, stories; all by default).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.browser import DESKTOP, launch, login  # noqa: E402
from tests.support.live import LiveService, seed_files  # noqa: E402

ARTICLE_SEED = "002_831e9328a17658ff"  # Putin meets Zhang Youxia and speaks about NATO
ACTOR = "person%3Awladimir-putin"


def put_seeds(service: LiveService) -> dict[str, str]:
    """Submit the seeds with their dates and wait; answer {seed name: article id}."""
    ids = {}
    for seed in seed_files():
        fields = json.loads(seed.with_suffix(".meta.json").read_text(encoding="utf-8"))
        accepted = service.post("/v1/articles", json={"text": seed.read_text(encoding="utf-8"), "title": seed.stem, **fields})
        accepted.raise_for_status()
        service.wait_job(accepted.headers["Operation-Location"])
        ids[seed.stem] = accepted.json()["id"]
    return ids


def photograph(service: LiveService, ids: dict[str, str], pages: list[str], output: Path) -> None:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport=DESKTOP, device_scale_factor=1).new_page()
        login(page, service.base_url, service.api_key)
        if "article" in pages:
            page.goto(f"{service.base_url}/ui/articles/{ids[ARTICLE_SEED]}")
            page.wait_for_selector(".article-text mark")
            page.locator('.article-text mark[data-kind="event"]').first.scroll_into_view_if_needed()
            page.evaluate("window.scrollTo(0, 0)")
            page.locator('.article-text mark[data-kind="actor"]').nth(3).hover()
            page.screenshot(path=str(output / "ui-article.png"))
        if "actor" in pages:
            page.goto(f"{service.base_url}/ui/actors/{ACTOR}")
            page.locator("#network svg, #network .notice").first.wait_for()
            page.locator("#actor-quotes blockquote").first.wait_for()
            page.screenshot(path=str(output / "ui-actor.png"))
        if "stories" in pages:
            page.goto(f"{service.base_url}/ui/stories")
            page.locator("li.story").or_(page.get_by_text("Stories are not available")).first.wait_for()
            page.screenshot(path=str(output / "ui-stories.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs")
    parser.add_argument("pages", nargs="*", default=["article", "actor", "stories"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data, logs = Path(folder) / "data", Path(folder) / "logs"
        data.mkdir(), logs.mkdir()
        service = LiveService({"LAGEBILD_DATA_DIR": str(data), "LAGEBILD_DATABASE_URL": "", "LAGEBILD_BROKER_URL": ""}, logs)
        service.use_key("screenshots")
        service.start("serve", "serve")
        try:
            service.wait_ready()
            photograph(service, put_seeds(service), args.pages, args.output)
        finally:
            service.stop()
    print(f"wrote {', '.join(f'ui-{name}.png' for name in args.pages)} to {args.output}")


if __name__ == "__main__":
    main()
