"""extraction documents compressed with lz4 instead of pglz, on PostgreSQL

A stored document is about 9 kB of JSON (up to 25 kB), over the size from which PostgreSQL
compresses a value: pglz took ~300 µs of PostgreSQL CPU per document, lz4 ~120 µs (the 80
documents of the store benchmark, inserted 8 per statement), and lz4 reads them back faster
too. Only new values are compressed so; the stored ones stay as they are and read as before.
The setting needs PostgreSQL 14 built with lz4 (the compose image is); elsewhere it is left out
(logged) and documents stay pglz. SQLite does not compress.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("pglz")


def _set_compression(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a savepoint: a server without lz4 (or before 14) must not abort the migration
            bind.execute(sa.text(f"ALTER TABLE extractions ALTER COLUMN document SET COMPRESSION {method}"))
    except sa.exc.DBAPIError:
        log.warning("extraction documents: compression %s is not available here, left as it was", method)
