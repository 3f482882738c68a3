"""The README documents what the code does: every LAGEBILD_* variable, the two set-up commands."""
from pathlib import Path

from lagebild_core.settings import settings_table

ROOT = Path(__file__).resolve().parents[1]


def test_readme_configuration_table_matches_settings():
    assert settings_table() in (ROOT / "README.md").read_text(encoding="utf-8"), \
        "README's configuration table is stale: paste the output of `lagebild settings`"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make start" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_tour_calls_every_public_endpoint():
    import re
    import yaml
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("\n## API tour\n", 1)[1].split("\n## ", 1)[0]
    calls = [line for line in tour.splitlines() if "curl " in line]
    paths = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))["paths"]
    missing = []
    for path, operations in paths.items():
        for method in operations:
            if method not in ("get", "post", "delete", "put", "patch"):
                continue
            # the tour keeps its article and job in $ARTICLE and $JOB; other templates take any id
            pattern = (re.escape(path).replace(r"/v1/articles/\{article_id\}", r"(/v1/articles/\S+|\$ARTICLE)")
                       .replace(r"/v1/jobs/\{job_id\}", r"(/v1/jobs/\S+|\$JOB)"))
            pattern = re.sub(r"\\\{[a-z_]+\\\}", lambda _: r"[^/\s\"?]+", pattern)
            wanted = re.compile(r"(\$API|127\.0\.0\.1:8000)" + pattern + r"(?=[\s\"';?]|$)")
            hits = [line for line in calls if wanted.search(line)
                    and (f"-X {method.upper()}" in line) == (method != "get")]
            if not hits:
                missing.append(f"{method.upper()} {path}")
    assert not missing, f"the README's API tour has no curl for: {missing}"


def test_the_readme_receiver_verifies_lagebild_signatures():
    import time
    from lagebild_core.webhook_http import new_secret, sign
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("\n## Webhooks\n", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the README's own example
    verify = namespace["verify"]
    secret, body, now = new_secret(), '{"type":"job.failed","data":{"ä":1}}'.encode(), int(time.time())

    def headers(timestamp=now, signed_with=secret, signed_body=body):
        return {"webhook-id": "msg_1", "webhook-timestamp": str(timestamp),
                "webhook-signature": sign(signed_with, "msg_1", timestamp, signed_body)}
    assert verify(secret, headers(), body)
    assert not verify(secret, headers(signed_body=body + b" "), body)
    assert not verify(secret, headers(signed_with=new_secret()), body)
    assert not verify(secret, headers(timestamp=now - 3600), body)
