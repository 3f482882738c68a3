"""The `lagebild` command line (extract, settings) and Settings.from_env."""
from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import main
from lagebild_core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("000_*.txt"))
SERVER_ONLY = {"article_id", "version", "created_at"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_extract_prints_one_schema_v1_line_per_file(runner, tmp_path):
    assert SEEDS, "seeds/000_*.txt is missing"
    second = tmp_path / "zweiter.txt"
    second.write_text("„Wir bleiben“, sagte der Bürgermeister am Montag.\r\n", encoding="utf-8")
    result = runner.invoke(main, ["extract", "--published-at", "2024-10-16", str(SEEDS[0]), str(second)],
                           env={"LAGEBILD_SPACY_MODEL": "blank:de"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    texts = [SEEDS[0].read_text(encoding="utf-8"), second.read_text(encoding="utf-8")]
    records = [json.loads(line) for line in lines]
    assert [record["file"] for record in records] == [str(SEEDS[0]), str(second)], "input order, named"
    for record, text in zip(records, texts):
        document = record["extraction"]
        assert document["schema_version"] == "1"
        assert not SERVER_ONLY & set(document), "server-only fields in the CLI output"
        assert {"pipeline", "language", "published_at", "actors", "events", "quotes"} <= set(document)
        assert document["published_at"] == "2024-10-16"
        assert document["pipeline"]["model"] == "blank:de"
        for quote in document["quotes"]:
            assert text[quote["start"]:quote["end"]] == quote["text"]


def test_extract_takes_the_date_from_the_meta_file_beside_the_text(runner):
    meta = json.loads(SEEDS[0].with_suffix(".meta.json").read_text(encoding="utf-8"))
    result = runner.invoke(main, ["extract", str(SEEDS[0])], env={"LAGEBILD_SPACY_MODEL": "blank:de"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["extraction"]["published_at"] == meta["published_at"]


def test_extract_without_date(runner, tmp_path):
    article = tmp_path / "ohne-datum.txt"
    article.write_text("Moskau warnte am Freitag vor Sanktionen.", encoding="utf-8")
    result = runner.invoke(main, ["extract", str(article)], env={"LAGEBILD_SPACY_MODEL": "blank:de"})
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["extraction"]["published_at"] is None


@pytest.mark.parametrize("date", ["16.10.2024", "2024-02-30", "morgen"])
def test_extract_bad_date_is_a_usage_error(runner, date):
    result = runner.invoke(main, ["extract", "--published-at", date, str(SEEDS[0])],
                           env={"LAGEBILD_SPACY_MODEL": "blank:de"})
    assert result.exit_code == 2
    assert "--published-at" in result.output and date in result.output


def test_extract_missing_file_fails_with_one_line(runner, tmp_path):
    result = runner.invoke(main, ["extract", str(tmp_path / "fehlt.txt")], env={"LAGEBILD_SPACY_MODEL": "blank:de"})
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"Error: cannot read {tmp_path / 'fehlt.txt'}: No such file or directory"]


def test_extract_non_utf8_file_fails_readably(runner, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Grüße".encode("latin-1"))
    result = runner.invoke(main, ["extract", str(latin)], env={"LAGEBILD_SPACY_MODEL": "blank:de"})
    assert result.exit_code == 1 and "not UTF-8" in result.output and "Traceback" not in result.output


def test_settings_command_lists_every_variable(runner):
    result = runner.invoke(main, ["settings"])
    assert result.exit_code == 0, result.output
    for f in fields(Settings):
        assert f"`LAGEBILD_{f.name.upper()}`" in result.output, f.name
    rows = [line for line in result.output.splitlines() if line.startswith("| `LAGEBILD_")]
    assert len(rows) == len(fields(Settings))


def test_every_setting_is_documented():
    for f in fields(Settings):
        assert f.metadata.get("doc"), f"Settings.{f.name} has no doc"


# --- Settings.from_env ------------------------------------------------------------------------------

def test_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.data_dir == str(tmp_path / "var")
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'var' / 'lagebild.sqlite3'}"
    assert settings.effective_broker_url == "filesystem://"
    assert settings.queue_dir == tmp_path / "var" / "queue"
    assert settings.max_text_bytes == 1_000_000 and settings.batch_limit == 100


def test_values_are_read_and_typed():
    settings = Settings.from_env({
        "LAGEBILD_DATA_DIR": "/srv/lagebild", "LAGEBILD_MAX_TEXT_BYTES": "1234", "LAGEBILD_BATCH_LIMIT": "7",
        "LAGEBILD_RETRY_AFTER_SECONDS": "9", "LAGEBILD_WORKER_CONCURRENCY": "4", "LAGEBILD_BIND": "0.0.0.0:8000",
        "LAGEBILD_DATABASE_URL": "postgresql+psycopg://u:p@db:5432/lagebild",
        "LAGEBILD_BROKER_URL": "redis://redis:6379/0", "LAGEBILD_LOG_LEVEL": "debug",
        "OTHER_VARIABLE": "ignored"})
    assert settings.max_text_bytes == 1234 and isinstance(settings.max_text_bytes, int)
    assert settings.batch_limit == 7 and settings.retry_after_seconds == 9 and settings.worker_concurrency == 4
    assert settings.bind == "0.0.0.0:8000" and settings.log_level == "debug"
    assert settings.effective_database_url == "postgresql+psycopg://u:p@db:5432/lagebild"
    assert settings.effective_broker_url == "redis://redis:6379/0"
    assert settings.queue_dir == Path("/srv/lagebild/queue")


def test_every_field_has_a_variable():
    raw = {"int": "3", "bool": "true"}
    parsed = {"int": 3, "bool": True}
    environ = {f"LAGEBILD_{f.name.upper()}": raw.get(str(f.type), f"value-{f.name}") for f in fields(Settings)}
    settings = Settings.from_env(environ)
    for f in fields(Settings):
        assert getattr(settings, f.name) == parsed.get(str(f.type), f"value-{f.name}"), f.name


@pytest.mark.parametrize("raw, expected", [("true", True), ("1", True), ("On", True), ("false", False), ("0", False)])
def test_boolean_settings_read_the_usual_spellings(raw, expected):
    assert Settings.from_env({"LAGEBILD_WEBHOOK_ALLOW_PRIVATE": raw}).webhook_allow_private is expected


def test_a_boolean_setting_refuses_other_words():
    with pytest.raises(ValueError, match="LAGEBILD_WEBHOOK_ALLOW_PRIVATE"):
        Settings.from_env({"LAGEBILD_WEBHOOK_ALLOW_PRIVATE": "maybe"})


def test_empty_variable_means_default_and_overrides_win():
    settings = Settings.from_env({"LAGEBILD_MAX_TEXT_BYTES": "", "LAGEBILD_BATCH_LIMIT": "3"}, batch_limit=9)
    assert settings.max_text_bytes == 1_000_000 and settings.batch_limit == 9


def test_from_env_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("LAGEBILD_TASK_TIME_LIMIT", "42")
    assert Settings.from_env().task_time_limit == 42


def test_invalid_integer_is_an_error():
    with pytest.raises(ValueError):
        Settings.from_env({"LAGEBILD_MAX_TEXT_BYTES": "viel"})


def test_settings_are_frozen():
    with pytest.raises(Exception):
        Settings().batch_limit = 1  # type: ignore[misc]
