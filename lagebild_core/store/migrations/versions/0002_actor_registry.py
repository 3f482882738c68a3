"""actor registry: actors and their appearances in extraction versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actors',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('search', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('id')
    )
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actors_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_actors_country'), ['country'], unique=False)

    op.create_table('actor_appearances',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('actor_id', sa.String(length=200), nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('mention_count', sa.Integer(), nullable=False),
    sa.Column('quote_count', sa.Integer(), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('quote_ids', sa.JSON(), nullable=False),
    sa.Column('event_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actors.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('article_id', 'version', 'local_id', name='uq_appearance_local')
    )
    with op.batch_alter_table('actor_appearances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_appearances_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_appearances_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('actor_appearances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_appearances_article_id'))
        batch_op.drop_index(batch_op.f('ix_actor_appearances_actor_id'))
    op.drop_table('actor_appearances')
    with op.batch_alter_table('actors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actors_country'))
        batch_op.drop_index(batch_op.f('ix_actors_kind'))
    op.drop_table('actors')
