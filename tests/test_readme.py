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
