"""A person opening /docs sees the rendered API documentation, served without any CDN."""
from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_swagger_ui_renders_every_operation(embedded, tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (scripts/ensure-test-tools.sh installs it)")
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path}", "--virtual-time-budget=15000",
         "--dump-dom", f"{embedded.base_url}/docs"],
        capture_output=True, text=True, timeout=120)
    dom = result.stdout
    assert "swagger-ui" in dom, result.stderr[-2000:]
    for summary in ("Submit an article for extraction", "Poll an extraction job",
                    "Read one extraction version", "Can the service take work?"):
        assert summary in dom, f"{summary!r} not rendered by Swagger UI"
    assert "Lagebild API" in dom
