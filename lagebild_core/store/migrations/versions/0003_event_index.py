"""event index: events of each article's latest extraction and their participants

The index is filled from the extractions already stored (their latest versions); from then on
lagebild_core.events.index_events keeps it current.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
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

    _index_stored_extractions()


def _bounds(time: dict | None):
    """First and last day of an event time value (as lagebild_core.events does), or (None, None)."""
    from lagebild_core.dates import bounds
    return bounds(time) or (None, None)


def _index_stored_extractions() -> None:
    """Fill the index from the latest extraction of every article stored before this revision."""
    bind = op.get_bind()
    events = sa.Table('events', sa.MetaData(), sa.Column('seq', sa.Integer, primary_key=True),
                      sa.Column('article_id', sa.String), sa.Column('version', sa.Integer),
                      sa.Column('event_id', sa.String), sa.Column('type', sa.String), sa.Column('mode', sa.String),
                      sa.Column('modality', sa.String), sa.Column('time_value', sa.String),
                      sa.Column('time_granularity', sa.String), sa.Column('time_start', sa.Date),
                      sa.Column('time_end', sa.Date), sa.Column('published_at', sa.Date),
                      sa.Column('event', sa.JSON))
    participants = sa.table('event_participants', sa.column('event_seq', sa.Integer), sa.column('role', sa.String),
                            sa.column('actor_id', sa.String), sa.column('global_id', sa.String),
                            sa.column('name', sa.String), sa.column('country', sa.String))
    rows = bind.execute(sa.text(
        'SELECT e.article_id, e.version, e.document FROM extractions e '
        'JOIN articles a ON a.id = e.article_id AND a.latest_version = e.version')).fetchall()
    for article_id, version, document in rows:
        document = json.loads(document) if isinstance(document, str) else (document or {})
        actors = {a['id']: a for a in document.get('actors') or []}
        published = document.get('published_at')
        published_at = dt.date.fromisoformat(published[:10]) if published else None
        for event in document.get('events') or []:
            time = event.get('time') or {}
            start, end = _bounds(time)
            result = bind.execute(events.insert().values(
                article_id=article_id, version=version, event_id=event['id'], type=event['type'],
                mode=event.get('mode'), modality=event.get('modality') or 'asserted',
                time_value=time.get('value'), time_granularity=time.get('granularity'),
                time_start=start, time_end=end, published_at=published_at, event=event))
            seq = result.inserted_primary_key[0]
            roles = [('source', a) for a in event.get('source') or []] + \
                [('target', a) for a in event.get('target') or []]
            if (event.get('location') or {}).get('actor'):
                roles.append(('location', event['location']['actor']))
            for role, actor_id in roles:
                actor = actors.get(actor_id, {})
                bind.execute(participants.insert().values(
                    event_seq=seq, role=role, actor_id=actor_id, global_id=actor.get('global_id'),
                    name=(actor.get('name') or '')[:500] or None, country=actor.get('country')))


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
