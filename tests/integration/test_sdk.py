"""SDK: a Python client generated from openapi.yaml submits, polls and reads a result."""
from __future__ import annotations

import importlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def sdk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sdk")
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run([str(generator), "generate", "--path", str(ROOT / "openapi.yaml"),
                             "--output-path", str(folder / "lagebild_sdk"), "--meta", "none"],
                            capture_output=True, text=True, timeout=300, cwd=folder)
    assert (folder / "lagebild_sdk" / "client.py").exists(), result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("lagebild_sdk")
    finally:
        sys.path.remove(str(folder))


def test_generated_client_submits_polls_and_reads(stack, sdk):
    from lagebild_sdk.api.articles import create_article, get_article
    from lagebild_sdk.api.extractions import get_extraction, list_extractions
    from lagebild_sdk.api.jobs import get_job
    from lagebild_sdk.models import ArticleIn

    client = sdk.AuthenticatedClient(base_url=stack.base_url, token=stack.api_key,
                                     raise_on_unexpected_status=True)
    text = (ROOT / "seeds" / "001_c1f2e177fa7f3201.txt").read_text(encoding="utf-8")
    accepted = create_article.sync(client=client, body=ArticleIn(text=text, title="SDK"))
    assert str(getattr(accepted.status, "value", accepted.status)) == "queued"
    job_id = accepted.job.id
    deadline = time.monotonic() + 120
    job = get_job.sync(client=client, job_id=job_id)
    while str(getattr(job.status, "value", job.status)) not in ("succeeded", "failed"):
        assert time.monotonic() < deadline, "job did not finish"
        time.sleep(0.3)
        job = get_job.sync(client=client, job_id=job_id)
    assert str(getattr(job.status, "value", job.status)) == "succeeded"
    extraction = get_extraction.sync(client=client, article_id=accepted.id, version="1")
    assert extraction.schema_version == "1" and extraction.version == 1
    assert extraction.article_id == accepted.id
    for actor in extraction.actors:
        for mention in actor.mentions:
            assert text[mention.start:mention.end] == mention.text
    assert get_article.sync(client=client, article_id=accepted.id).latest_version == 1
    page = list_extractions.sync(client=client, article_id=accepted.id)
    assert [item.version for item in page.items] == [1]
    missing = get_article.sync_detailed(client=client, article_id="does-not-exist")
    assert missing.status_code == 404 and missing.parsed.status == 404
    anonymous = sdk.Client(base_url=stack.base_url)
    refused = get_article.sync_detailed(client=anonymous, article_id=accepted.id)
    assert refused.status_code == 401 and refused.parsed.status == 401


def test_generated_client_has_classes_for_the_webhook_events(sdk):
    from lagebild_sdk.models import ExtractionCreatedEvent, JobFailedEvent
    from service.resources.webhooks.examples import EVENT_EXAMPLES

    created = ExtractionCreatedEvent.from_dict(EVENT_EXAMPLES["extraction.created"])
    assert created.data.version == 1 and created.data.links.extraction.endswith("/extractions/1")
    failed = JobFailedEvent.from_dict(EVENT_EXAMPLES["job.failed"])
    assert failed.data.error.to_dict()["type"].endswith("time-limit") and failed.data.links.extraction is None
    assert created.to_dict()["data"] == EVENT_EXAMPLES["extraction.created"]["data"]
