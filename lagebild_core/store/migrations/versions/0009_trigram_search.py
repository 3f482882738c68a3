"""trigram indexes for the text filters (`q=`) of quotes and stories, on PostgreSQL

`q` is a substring search (LIKE '%…%' over a folded column); without an index a rare phrase reads
every row of the tenant (10,000 articles: 60-100 ms for stories). pg_trgm's GIN indexes answer
such patterns of three or more characters from the index. The extension needs the right to create
it (the compose database's owner has it); without it the indexes are left out and the search
stays a scan. SQLite has no such index (there the scan of 10,000 articles takes 10-50 ms).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

INDEXES = (("ix_quotes_search_trgm", "quotes"), ("ix_stories_search_trgm", "stories"))
log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a savepoint: a refused extension must not abort the migration
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        log.warning("pg_trgm cannot be created here: text search stays a scan")
        return
    for name, table in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
