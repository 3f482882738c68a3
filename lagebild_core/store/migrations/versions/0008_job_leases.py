"""job leases: `heartbeat_at` on jobs, renewed by the worker while it extracts

A running job whose heartbeat is older than the lease (LAGEBILD_JOB_LEASE_SECONDS) belongs to a
worker that is gone: the sweep publishes it again within seconds instead of after
LAGEBILD_REQUEUE_AFTER_SECONDS, and a second message for a job whose lease is alive is dropped.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs') as batch:
        batch.drop_column('heartbeat_at')
