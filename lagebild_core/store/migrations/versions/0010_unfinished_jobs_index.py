"""a partial index of the unfinished jobs by tenant, for the back-pressure count of every submission

`ensure_capacity` counts the tenant's queued and running jobs on every POST. The index on
`jobs.tenant` holds the tenant's whole history: with 50,000 finished jobs and 1,000 unfinished
the count read 51,000 rows (6-10 ms of PostgreSQL per POST); this index holds only the unfinished
ones (1,000 rows read from the index alone: 0.1-0.2 ms).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

UNFINISHED = sa.text("status IN ('queued', 'running')")


def upgrade() -> None:
    # CONCURRENTLY on PostgreSQL: a plain CREATE INDEX blocks writes to `jobs` (every POST) while it
    # reads the whole table; it cannot run inside a transaction, hence the autocommit block
    with op.get_context().autocommit_block():
        op.create_index('ix_jobs_unfinished_tenant', 'jobs', ['tenant'], postgresql_where=UNFINISHED,
                        sqlite_where=UNFINISHED, postgresql_concurrently=True, if_not_exists=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index('ix_jobs_unfinished_tenant', table_name='jobs', postgresql_concurrently=True,
                      if_exists=True)
