"""Webhooks: the endpoints the front desk registers, and each event's delivery to each of them (an outbox)

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25 05:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = sa.inspect(op.get_bind()).get_table_names()
    if 'webhook_endpoints' not in tables:
        op.create_table(
            'webhook_endpoints',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
            sa.Column('events', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
            sa.Column('trusted', sa.Boolean(), nullable=False),
            sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
            sa.Column('active', sa.Boolean(), nullable=False),
            sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('created_by_id', sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
            sa.PrimaryKeyConstraint('id'),
        )
        op.create_index('ix_webhook_endpoints_active', 'webhook_endpoints', ['active'])
    if 'webhook_deliveries' not in tables:
        op.create_table(
            'webhook_deliveries',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('endpoint_id', sa.Integer(), nullable=False),
            sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
            sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
            sa.Column('body', sa.Text(), nullable=False),
            sa.Column(
                'status',
                sa.Enum('pending', 'sending', 'delivered', 'failed', name='deliverystatus'),
                nullable=False,
            ),
            sa.Column('attempts', sa.Integer(), nullable=False),
            sa.Column('next_attempt_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('last_attempt_at', models.types.UTCDateTime(timezone=True), nullable=True),
            sa.Column('delivered_at', models.types.UTCDateTime(timezone=True), nullable=True),
            sa.Column('response_status', sa.Integer(), nullable=True),
            sa.Column('response_excerpt', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
            sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
            sa.Column('resent_from_id', sa.Integer(), nullable=True),
            sa.CheckConstraint('attempts >= 0', name='ck_webhook_deliveries_attempts'),
            sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoints.id']),
            sa.ForeignKeyConstraint(['resent_from_id'], ['webhook_deliveries.id']),
            sa.PrimaryKeyConstraint('id'),
        )
        for column in ('endpoint_id', 'event_id', 'status', 'next_attempt_at'):
            op.create_index(f'ix_webhook_deliveries_{column}', 'webhook_deliveries', [column])


def downgrade() -> None:
    for column in ('endpoint_id', 'event_id', 'status', 'next_attempt_at'):
        op.drop_index(f'ix_webhook_deliveries_{column}', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    sa.Enum(name='deliverystatus').drop(op.get_bind(), checkfirst=True)
    op.drop_index('ix_webhook_endpoints_active', table_name='webhook_endpoints')
    op.drop_table('webhook_endpoints')
