"""On PostgreSQL one article and its job are written in one statement (domain.submit_articles): the
rows are the ones the two INSERTs wrote."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from lagebild_core import domain
from lagebild_core.store import Database
from lagebild_core.store.models import Article, Job

pytestmark = pytest.mark.integration


@pytest.fixture
def database():
    from tests.support.live import private_postgres_database
    databases = private_postgres_database("lagebild_submit")
    database = Database(next(databases))
    database.upgrade()
    yield database
    database.engine.dispose()
    next(databases, None)


def _rows(session, table, ids: list[str]) -> list[dict]:
    rows = session.execute(select(table).where(table.c.id.in_(ids)).order_by(table.c.seq)).mappings()
    return [{name: value for name, value in row.items() if name != "seq"} for row in rows]


def test_one_statement_writes_the_rows_two_inserts_wrote(database):
    new = [domain.NewArticle(text="Erster Text.", title="Eins", url="https://example.org/1", language="de",
                             source="dpa", external_id="e-1", metadata={"ressort": "Ausland", "n": [1, 2]}),
           domain.NewArticle(text="Zweiter Text.")]
    with database.transaction() as session:
        accepted = [domain.submit_articles(session, [article], tenant="t")[0] for article in new]  # one statement each
    with database.transaction() as session:
        written = {"articles": _rows(session, Article.__table__, [a.id for a, _ in accepted]),
                   "jobs": _rows(session, Job.__table__, [j.id for _, j in accepted])}
        session.execute(Job.__table__.delete())
        session.execute(Article.__table__.delete())
    with database.transaction() as session:  # the same objects through the two INSERTs
        session.execute(insert(Article.__table__), [domain._columns(article) for article, _ in accepted])
        session.execute(insert(Job.__table__), [domain._columns(job) for _, job in accepted])
    with database.transaction() as session:
        assert _rows(session, Article.__table__, [a.id for a, _ in accepted]) == written["articles"]
        assert _rows(session, Job.__table__, [j.id for _, j in accepted]) == written["jobs"]
    assert len(written["articles"]) == len(written["jobs"]) == 2
    assert written["articles"][0]["metadata"] == {"ressort": "Ausland", "n": [1, 2]}
    assert written["jobs"][0]["article_id"] == accepted[0][0].id and written["jobs"][0]["dispatched_at"] is not None
