"""stories: a story per happening; each indexed event names its story and its time window

The events indexed before this revision get their windows here; their stories are built by
the first `lagebild` command that upgrades the schema (service.cli runs
lagebild_core.stories.group_unassigned after every upgrade: it groups the events that have no
story yet, once, with the rule of the code that is running).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stories',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('tenant', sa.String(length=64), server_default='default', nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('mode', sa.String(length=32), nullable=True),
    sa.Column('time_value', sa.String(length=16), nullable=True),
    sa.Column('time_granularity', sa.String(length=8), nullable=True),
    sa.Column('time_start', sa.Date(), nullable=True),
    sa.Column('time_end', sa.Date(), nullable=True),
    sa.Column('place_id', sa.String(length=64), nullable=True),
    sa.Column('place_name', sa.String(length=500), nullable=True),
    sa.Column('participants', sa.JSON(), nullable=False),
    sa.Column('first_report', sa.Date(), nullable=True),
    sa.Column('last_report', sa.Date(), nullable=True),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.Column('article_count', sa.Integer(), nullable=False),
    sa.Column('search', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('tenant', 'id', name='uq_story_tenant_id')
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_id'), ['id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_tenant'), ['tenant'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_type'), ['type'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_time_start'), ['time_start'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('window_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('story_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_story_id'), ['story_id'], unique=False)
        batch_op.create_index('ix_events_story_candidates', ['tenant', 'type', 'window_start', 'window_end'],
                              unique=False)
    _fill_windows()


def _fill_windows() -> None:
    """Set the window of every event indexed before this revision (lagebild_core.story_rule)."""
    from lagebild_core.story_rule import window
    bind = op.get_bind()
    events = sa.table('events', sa.column('seq', sa.Integer), sa.column('time_start', sa.Date),
                      sa.column('time_end', sa.Date), sa.column('published_at', sa.Date),
                      sa.column('window_start', sa.Date), sa.column('window_end', sa.Date))
    rows = bind.execute(sa.select(events.c.seq, events.c.time_start, events.c.time_end,
                                  events.c.published_at)).fetchall()
    for seq, start, end, published in rows:
        days = window(_date(start), _date(end), _date(published))
        if days is not None:
            bind.execute(events.update().where(events.c.seq == seq).values(window_start=days[0], window_end=days[1]))


def _date(value):
    """A date column's value as a date (SQLite's driver may hand back text)."""
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_story_candidates')
        batch_op.drop_index(batch_op.f('ix_events_story_id'))
        batch_op.drop_column('story_id')
        batch_op.drop_column('window_end')
        batch_op.drop_column('window_start')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_time_start'))
        batch_op.drop_index(batch_op.f('ix_stories_type'))
        batch_op.drop_index(batch_op.f('ix_stories_tenant'))
        batch_op.drop_index(batch_op.f('ix_stories_id'))
    op.drop_table('stories')
