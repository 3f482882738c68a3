"""event index: events of each article's latest extraction and their participants

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0003'
# 0002 (the actor registry) is written in parallel; until its file is in the tree this
# revision follows 0001, so that `upgrade head` keeps working on every checkout.
down_revision = '0002' if any(Path(__file__).parent.glob('0002_*.py')) else '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=32), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=32), nullable=True),
    sa.Column('modality', sa.String(length=16), nullable=False),
    sa.Column('time_value', sa.String(length=16), nullable=True),
    sa.Column('time_granularity', sa.String(length=8), nullable=True),
    sa.Column('time_start', sa.Date(), nullable=True),
    sa.Column('time_end', sa.Date(), nullable=True),
    sa.Column('published_at', sa.Date(), nullable=True),
    sa.Column('event', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_type'), ['type'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_modality'), ['modality'], unique=False)
        batch_op.create_index('ix_events_time_range', ['time_start', 'time_end'], unique=False)

    op.create_table('event_participants',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_seq', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.String(length=32), nullable=False),
    sa.Column('global_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=500), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.ForeignKeyConstraint(['event_seq'], ['events.seq'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_participants_event_seq'), ['event_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_participants_global_id'), ['global_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_participants_country'), ['country'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_participants_country'))
        batch_op.drop_index(batch_op.f('ix_event_participants_global_id'))
        batch_op.drop_index(batch_op.f('ix_event_participants_event_seq'))
    op.drop_table('event_participants')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_time_range')
        batch_op.drop_index(batch_op.f('ix_events_modality'))
        batch_op.drop_index(batch_op.f('ix_events_type'))
        batch_op.drop_index(batch_op.f('ix_events_article_id'))
    op.drop_table('events')
