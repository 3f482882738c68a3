"""quote and relation indexes: the quotes of each article's latest extraction, with speaker and
addressee, and the relations between actors (events and quotes, from both actors' sides, and
each relation's count)

Both are filled from the extractions already stored (each article's latest version, as 0003
did for events); from then on lagebild_core.quotes.index_quotes and
lagebild_core.relations.index_relations keep them current. Also:
event participants' global ids may be as long as the registry's ids (200, not 64), and the
participant index leads with the global id and ends with the event, for the actor filter; and
events have an index (tenant, seq), so a tenant's newest events are one index range.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

RELATION_COLUMNS = ('tenant', 'article_id', 'version', 'actor', 'other', 'via', 'type', 'direction', 'item_id',
                    'published_at')
COLUMNS = ('article_id', 'tenant', 'version', 'quote_id', 'kind', 'text', 'text_start', 'text_end', 'search',
           'cue', 'speaker_text', 'speaker_actor', 'speaker_global_id', 'addressee_actor',
           'addressee_global_id', 'published_at')


def upgrade() -> None:
    op.create_table('quotes',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('tenant', sa.String(length=64), server_default='default', nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_start', sa.Integer(), nullable=False),
    sa.Column('text_end', sa.Integer(), nullable=False),
    sa.Column('search', sa.Text(), nullable=False),
    sa.Column('cue', sa.Text(), nullable=True),
    sa.Column('speaker_text', sa.Text(), nullable=True),
    sa.Column('speaker_actor', sa.String(length=32), nullable=True),
    sa.Column('speaker_global_id', sa.String(length=200), nullable=True),
    sa.Column('addressee_actor', sa.String(length=32), nullable=True),
    sa.Column('addressee_global_id', sa.String(length=200), nullable=True),
    sa.Column('published_at', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_quotes_tenant'), ['tenant'], unique=False)
        batch_op.create_index('ix_quotes_tenant_seq', ['tenant', 'seq'], unique=False)
        batch_op.create_index('ix_quotes_speaker', ['tenant', 'speaker_global_id', 'seq'], unique=False)
        batch_op.create_index('ix_quotes_addressee', ['tenant', 'addressee_global_id', 'seq'], unique=False)
        batch_op.create_index('ix_quotes_published', ['tenant', 'published_at'], unique=False)

    key = ['tenant', 'actor', 'other', 'via', 'type', 'direction']
    op.create_table('actor_relations',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('article_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('other', sa.String(length=200), nullable=False),
    sa.Column('via', sa.String(length=8), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('item_id', sa.String(length=32), nullable=False),
    sa.Column('published_at', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('actor_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_relations_article_id'), ['article_id'], unique=False)
        batch_op.create_index('ix_actor_relations_seq', key + ['seq'], unique=False)
        batch_op.create_index('ix_actor_relations_published', key + ['published_at'], unique=False)
    op.create_table('actor_relation_counts',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('other', sa.String(length=200), nullable=False),
    sa.Column('via', sa.String(length=8), nullable=False),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint(*key, name='uq_actor_relation_counts_key')
    )
    with op.batch_alter_table('actor_relation_counts', schema=None) as batch_op:
        batch_op.create_index('ix_actor_relation_counts_count', ['tenant', 'actor', 'count'], unique=False)

    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.alter_column('global_id', existing_type=sa.String(length=64), type_=sa.String(length=200),
                              existing_nullable=True)
        batch_op.drop_index('ix_event_participants_global_id')
        batch_op.create_index('ix_event_participants_global_id', ['global_id', 'event_seq'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_tenant_seq', ['tenant', 'seq'], unique=False)

    _index_stored_extractions()


def _index_stored_extractions() -> None:
    """Fill both indexes from the latest extraction of every article stored before this revision."""
    from lagebild_core.quotes import quote_rows  # pure: document → rows, the same as new versions get
    from lagebild_core.relations import relation_rows

    bind = op.get_bind()
    quotes = sa.table('quotes', *[sa.column(name) for name in COLUMNS])
    relations = sa.table('actor_relations', *[sa.column(name) for name in RELATION_COLUMNS])
    rows = bind.execute(sa.text(
        'SELECT e.tenant, e.article_id, e.version, e.document FROM extractions e '
        'JOIN articles a ON a.id = e.article_id AND a.latest_version = e.version')).fetchall()
    for tenant, article_id, version, document in rows:
        document = json.loads(document) if isinstance(document, str) else (document or {})
        values = [{name: row[name] for name in COLUMNS} for row in quote_rows(tenant, article_id, version, document)]
        if values:
            bind.execute(quotes.insert(), values)
        values = [{name: row[name] for name in RELATION_COLUMNS}
                  for row in relation_rows(tenant, article_id, version, document)]
        if values:
            bind.execute(relations.insert(), values)
    bind.execute(sa.text(
        'INSERT INTO actor_relation_counts (tenant, actor, other, via, type, direction, count) '
        'SELECT tenant, actor, other, via, type, direction, count(*) FROM actor_relations '
        'GROUP BY tenant, actor, other, via, type, direction'))


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_tenant_seq')
    with op.batch_alter_table('actor_relation_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_actor_relation_counts_count')
    op.drop_table('actor_relation_counts')
    with op.batch_alter_table('actor_relations', schema=None) as batch_op:
        batch_op.drop_index('ix_actor_relations_published')
        batch_op.drop_index('ix_actor_relations_seq')
        batch_op.drop_index('ix_actor_relations_article_id')
    op.drop_table('actor_relations')
    with op.batch_alter_table('event_participants', schema=None) as batch_op:
        batch_op.drop_index('ix_event_participants_global_id')
        batch_op.create_index('ix_event_participants_global_id', ['global_id'], unique=False)
        batch_op.alter_column('global_id', existing_type=sa.String(length=200), type_=sa.String(length=64),
                              existing_nullable=True)
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        for name in ('ix_quotes_published', 'ix_quotes_addressee', 'ix_quotes_speaker', 'ix_quotes_tenant_seq',
                     'ix_quotes_tenant', 'ix_quotes_article_id'):
            batch_op.drop_index(name)
    op.drop_table('quotes')
