"""the keys persons of the registry are found by when an article's persons are linked

Linking a batch's persons read every registry person whose folded names contained the first four
letters of one of their name words (`search LIKE ANY('%…%')`, at most 200 per person), a scan of
the tenant's persons, and then tried each row it read against each person of the batch. Both grow
with the registry: at 1,000 stored articles (3,500 persons) the look took 9 CPU ms of the worker
and 12 ms of PostgreSQL per batch of 8, and the 4-letter beginnings missed transliterations that
share no beginning ("Yuri Sarenko" / "Jurij Zarenko"). Matching compares skeletons of names
(lagebild_core.registry): this table holds each person's skeleton keys, so linking looks them up
by the primary key. The existing persons' keys are computed here, by the same function linking
uses (a change of that function needs a migration that computes them again).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

PAGE = 5000  # persons read and their keys written at a time


def upgrade() -> None:
    op.create_table(
        'actor_name_keys',
        sa.Column('tenant', sa.String(length=64), nullable=False),
        sa.Column('key', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['tenant', 'actor_id'], ['actors.tenant', 'actors.id'], ondelete='CASCADE',
                                name='fk_name_key_actor'),
        sa.PrimaryKeyConstraint('tenant', 'key', 'actor_id'),
    )
    _fill(op.get_bind())


def _fill(connection) -> None:
    from lagebild_core.registry import person_keys  # the keys linking looks for (see the docstring)
    actors = sa.table('actors', sa.column('seq', sa.Integer), sa.column('tenant', sa.String),
                      sa.column('id', sa.String), sa.column('kind', sa.String), sa.column('name', sa.Text),
                      sa.column('names', sa.JSON))
    keys = sa.table('actor_name_keys', sa.column('tenant', sa.String), sa.column('key', sa.Text),
                    sa.column('actor_id', sa.String))
    last = 0
    while True:
        rows = connection.execute(sa.select(actors.c.seq, actors.c.tenant, actors.c.id, actors.c.name, actors.c.names)
                                  .where(actors.c.kind == 'person', actors.c.seq > last)
                                  .order_by(actors.c.seq).limit(PAGE)).all()
        if not rows:
            return
        found = [{'tenant': row.tenant, 'key': key, 'actor_id': row.id}
                 for row in rows for key in sorted(person_keys({'name': row.name, 'names': row.names}))]
        if found:
            connection.execute(sa.insert(keys), found)
        last = rows[-1].seq


def downgrade() -> None:
    op.drop_table('actor_name_keys')
