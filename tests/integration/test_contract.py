"""Contract: schemathesis drives every operation of openapi.yaml against the live stack.

No request may cause a 5xx, and every response must conform to the contract (status code,
content type, headers, body schema); invalid requests must be rejected.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "negative_data_rejection",
    "use_after_free", "ensure_resource_availability", "unsupported_method",
])

pytestmark = pytest.mark.integration


def test_every_operation_conforms_to_openapi_yaml(stack, tmp_path):
    command = [sys.executable, "-m", "schemathesis.cli", "run", str(ROOT / "openapi.yaml"),
               "--url", stack.base_url, "--checks", CHECKS, "--max-examples", "25", "--workers", "1",
               "--seed", "20241016", "--request-timeout", "30", "--suppress-health-check", "all",
               "--header", f"Authorization: Bearer {stack.api_key}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    summary = result.stdout[-6000:]
    assert result.returncode == 0, f"schemathesis found problems:\n{summary}\n{result.stderr[-2000:]}"
    operations = sum(len([m for m in item if m in ("get", "post", "put", "patch", "delete")])
                     for item in yaml.safe_load((ROOT / "openapi.yaml").read_text())["paths"].values())
    assert f"Tested: {operations}" in result.stdout, summary
