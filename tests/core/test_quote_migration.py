"""Migration 0006 indexes the quotes and relations of the versions stored before it: each
article's latest version, with the speakers' and addressees' global ids, on SQLite and PostgreSQL."""
from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from lagebild_core.store.db import alembic_config

DOCUMENT = {
    "published_at": "2024-10-16",
    "actors": [{"id": "A1", "global_id": "person:andrey-belousov", "name": "Andrey Belousov"},
               {"id": "A2", "global_id": "person:zhang-youxia", "name": "Zhang Youxia"}],
    "quotes": [{"id": "Q1", "kind": "direct", "text": "Wir teilen gemeinsame Ansichten", "start": 90, "end": 121,
                "speaker": {"actor": "A1", "text": "Belousov", "start": 130, "end": 138},
                "cue": {"text": "sagte", "start": 124, "end": 129}, "addressee": "A2"},
               {"id": "Q2", "kind": "indirect", "text": "Das sei gut", "start": 0, "end": 11, "speaker": None,
                "cue": None, "addressee": None}],
}


def _stored_before_0006(url: str) -> None:
    """A database at revision 0004 with one article of tenant "t1" and two versions (the older has a quote too)."""
    command.upgrade(alembic_config(url), "0004")
    older = {**DOCUMENT, "quotes": DOCUMENT["quotes"][:1] + [{**DOCUMENT["quotes"][1], "id": "Q9"}]}
    with create_engine(url).begin() as connection:
        connection.execute(text(
            "INSERT INTO articles (id, tenant, text, text_sha256, language, metadata, status, latest_version, "
            "created_at, updated_at) VALUES ('a1', 't1', 'x', 'x', 'de', '{}', 'succeeded', 2, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        for version, document in ((1, older), (2, DOCUMENT)):
            connection.execute(text(
                "INSERT INTO extractions (article_id, tenant, version, job_id, document, etag, pipeline_name, "
                "pipeline_version, model, created_at) VALUES ('a1', 't1', :version, :job, :document, 'e', 'p', '1', "
                "'m', CURRENT_TIMESTAMP)"), {"version": version, "job": f"j{version}", "document": json.dumps(document)})


def _check_upgrade(url: str) -> None:
    _stored_before_0006(url)
    command.upgrade(alembic_config(url), "head")
    with create_engine(url).connect() as connection:
        rows = connection.execute(text(
            "SELECT tenant, version, quote_id, kind, speaker_text, speaker_global_id, addressee_global_id, cue, "
            "published_at, search FROM quotes ORDER BY seq")).all()
    assert [tuple(r[:8]) for r in rows] == [
        ("t1", 2, "Q1", "direct", "Belousov", "person:andrey-belousov", "person:zhang-youxia", "sagte"),
        ("t1", 2, "Q2", "indirect", None, None, None, None)]
    assert str(rows[0].published_at) == "2024-10-16" and rows[0].search == "wir teilen gemeinsame ansichten"
    with create_engine(url).connect() as connection:
        relations = connection.execute(text(
            "SELECT tenant, version, actor, other, via, direction, item_id FROM actor_relations ORDER BY seq")).all()
    assert [tuple(r) for r in relations] == [
        ("t1", 2, "person:andrey-belousov", "person:zhang-youxia", "quote", "outgoing", "Q1"),
        ("t1", 2, "person:zhang-youxia", "person:andrey-belousov", "quote", "incoming", "Q1")]
    with create_engine(url).connect() as connection:
        counts = connection.execute(text(
            "SELECT actor, other, via, type, direction, count FROM actor_relation_counts ORDER BY actor")).all()
    assert [tuple(r) for r in counts] == [
        ("person:andrey-belousov", "person:zhang-youxia", "quote", "", "outgoing", 1),
        ("person:zhang-youxia", "person:andrey-belousov", "quote", "", "incoming", 1)]
    command.downgrade(alembic_config(url), "0004")
    command.upgrade(alembic_config(url), "head")


def test_sqlite(tmp_path):
    _check_upgrade(f"sqlite:///{tmp_path / 'old.sqlite3'}")


@pytest.mark.integration
def test_postgresql():
    from tests.support.live import private_postgres_database
    databases = private_postgres_database("lagebild_mig")
    url = next(databases)
    try:
        _check_upgrade(url)
    finally:
        next(databases, None)
