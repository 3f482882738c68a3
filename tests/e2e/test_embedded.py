"""End to end on the embedded default: `lagebild serve` starts gunicorn and a Celery worker
on SQLite and the file-system queue, with no servers; it is driven over HTTP and the CLI."""
from __future__ import annotations

import json
import signal
import subprocess

import pytest

from tests.support.live import LAGEBILD, ROOT, LiveService, assert_schema_v1, seed_files

pytestmark = pytest.mark.e2e


def test_seeds_through_the_embedded_service_with_the_cli(embedded):
    files = [str(p) for p in seed_files()]
    result = subprocess.run([*LAGEBILD, "submit", "--server", embedded.base_url, "--wait",
                             "--published-at", "2024-10-16", *files],
                            capture_output=True, text=True, timeout=300, cwd=ROOT, env=embedded.env)
    assert result.returncode == 0, result.stdout + result.stderr + embedded.log("serve")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(row["file"] for row in rows) == sorted(files)
    for row in rows:
        document = row["extraction"]
        text = open(row["file"], encoding="utf-8").read()
        assert_schema_v1(document, text)
        assert document["published_at"] == "2024-10-16"
        assert embedded.get(f"/v1/articles/{document['article_id']}").json()["text"] == text
    assert (embedded.data_dir / "lagebild.sqlite3").exists()


def test_rerun_and_versions_over_http(embedded):
    accepted = embedded.post("/v1/articles", data="Moskau warnte am Freitag vor Sanktionen.".encode(),
                             headers={"Content-Type": "text/plain"})
    assert accepted.status_code == 202
    assert embedded.wait_job(accepted.headers["Operation-Location"])["status"] == "succeeded"
    rerun = embedded.post(f"{accepted.headers['Location']}/extractions")
    assert embedded.wait_job(rerun.headers["Operation-Location"])["extraction_version"] == 2
    versions = embedded.get(f"{accepted.headers['Location']}/extractions").json()["items"]
    assert [v["version"] for v in versions] == [2, 1]


def test_docs_and_contract_are_served(embedded):
    docs = embedded.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text.lower()
    assert embedded.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    served = embedded.get("/openapi.yaml").text
    assert served == (ROOT / "openapi.yaml").read_text(encoding="utf-8")


def test_sigterm_stops_api_and_worker(tmp_path):
    service = LiveService({"LAGEBILD_DATA_DIR": str(tmp_path / "var"), "LAGEBILD_DATABASE_URL": "",
                           "LAGEBILD_BROKER_URL": "", "LAGEBILD_SPACY_MODEL": "blank:de"}, tmp_path)
    process = service.start("serve", "serve")
    service.wait_ready()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, "a requested stop is a clean exit"
    leftover = subprocess.run(["pgrep", "-f", f"--schedule {tmp_path}"], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "worker processes outlived `lagebild serve`"
