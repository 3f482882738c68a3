"""tenants and API keys: a tenant on every client-visible row, the hashed API keys

Rows stored before this revision belong to the tenant "default". The actor registry becomes one
registry per tenant: `actors` is unique on (tenant, id) instead of id, and an appearance refers
to its actor by (tenant, actor_id).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TENANT_TABLES = ('articles', 'jobs', 'extractions', 'actors', 'actor_appearances', 'events')
# SQLite's constraints from 0001/0002 have no names; batch mode names them by this convention
# when it copies the table, so that they can be dropped by name.
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _tenant_column() -> sa.Column:
    return sa.Column('tenant', sa.String(length=64), nullable=False, server_default='default')


def upgrade() -> None:
    op.create_table('api_keys',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('secret_sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id')
    )
    op.create_index('ix_api_keys_tenant', 'api_keys', ['tenant'])

    sqlite = op.get_bind().dialect.name == 'sqlite'
    if not sqlite:  # PostgreSQL's default names of the constraints that tie appearances to actors.id
        op.drop_constraint('actor_appearances_actor_id_fkey', 'actor_appearances', type_='foreignkey')
        op.drop_constraint('actors_id_key', 'actors', type_='unique')
    for table in TENANT_TABLES:
        naming = SQLITE_NAMES if sqlite and table in ('actors', 'actor_appearances') else {}
        with op.batch_alter_table(table, naming_convention=naming,
                                  recreate='always' if naming else 'auto') as batch_op:
            batch_op.add_column(_tenant_column())
            batch_op.create_index(f'ix_{table}_tenant', ['tenant'], unique=False)
            if sqlite and table == 'actors':
                batch_op.drop_constraint('uq_actors_id', type_='unique')
            if sqlite and table == 'actor_appearances':
                batch_op.drop_constraint('fk_actor_appearances_actor_id_actors', type_='foreignkey')
            if table == 'actors':
                batch_op.create_unique_constraint('uq_actor_tenant_id', ['tenant', 'id'])
                batch_op.create_index('ix_actors_id', ['id'], unique=False)
    with op.batch_alter_table('actor_appearances') as batch_op:
        batch_op.create_foreign_key('fk_appearance_actor', 'actors', ['tenant', 'actor_id'], ['tenant', 'id'],
                                    ondelete='CASCADE')


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    with op.batch_alter_table('actor_appearances') as batch_op:
        batch_op.drop_constraint('fk_appearance_actor', type_='foreignkey')
    for table in reversed(TENANT_TABLES):
        with op.batch_alter_table(table) as batch_op:
            if table == 'actors':
                batch_op.drop_index('ix_actors_id')
                batch_op.drop_constraint('uq_actor_tenant_id', type_='unique')
                batch_op.create_unique_constraint('uq_actors_id' if sqlite else 'actors_id_key', ['id'])
            batch_op.drop_index(f'ix_{table}_tenant')
            batch_op.drop_column('tenant')
    with op.batch_alter_table('actor_appearances') as batch_op:
        batch_op.create_foreign_key('fk_actor_appearances_actor_id_actors' if sqlite
                                    else 'actor_appearances_actor_id_fkey', 'actors', ['actor_id'], ['id'],
                                    ondelete='CASCADE')
    op.drop_index('ix_api_keys_tenant', table_name='api_keys')
    op.drop_table('api_keys')
