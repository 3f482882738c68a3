"""drop the indexes of the tables a worker writes that no query needs: each is the first column(s)
of another index of its table, which every query that could use it uses instead

Every stored article inserts about 5 event, 5 quote, 5 story and 10 registry rows, and each of
them wrote an entry into each of these indexes too. All queries of these tables filter by the
tenant, and each table has an index or unique constraint that begins with `tenant` (events:
ix_events_tenant_seq, quotes: ix_quotes_tenant_seq, stories: uq_story_tenant_id, actors:
uq_actor_tenant_id): the single-column `tenant` indexes are prefixes of those, and the `id`
indexes of stories and actors serve only lookups that also name the tenant (the unique
constraints (tenant, id) answer them).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

INDEXES = (('ix_events_tenant', 'events', 'tenant'), ('ix_quotes_tenant', 'quotes', 'tenant'),
           ('ix_stories_tenant', 'stories', 'tenant'), ('ix_stories_id', 'stories', 'id'),
           ('ix_actors_tenant', 'actors', 'tenant'), ('ix_actors_id', 'actors', 'id'))


def upgrade() -> None:
    # CONCURRENTLY on PostgreSQL: a plain DROP INDEX waits for, and then blocks, every statement on
    # its table; it cannot run inside a transaction, hence the autocommit block
    with op.get_context().autocommit_block():
        for name, table, _ in INDEXES:
            op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for name, table, column in INDEXES:
            op.create_index(name, table, [column], postgresql_concurrently=True, if_not_exists=True)
