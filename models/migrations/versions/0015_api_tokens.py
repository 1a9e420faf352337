"""API: personal access tokens (kept as a SHA-256) and the first answers to idempotent write requests

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25 04:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    tables = sa.inspect(op.get_bind()).get_table_names()
    if 'api_tokens' not in tables:
        op.create_table(
            'api_tokens',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('user_id', sa.Integer(), nullable=False),
            sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
            sa.Column('scope', sa.Enum('read', 'write', name='tokenscope'), nullable=False),
            sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('revoked_at', models.types.UTCDateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(['user_id'], ['users.id']),
            sa.PrimaryKeyConstraint('id'),
        )
        op.create_index('ix_api_tokens_user_id', 'api_tokens', ['user_id'])
        op.create_index('ix_api_tokens_token_hash', 'api_tokens', ['token_hash'], unique=True)
    if 'idempotent_requests' not in tables:
        op.create_table(
            'idempotent_requests',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('token_id', sa.Integer(), nullable=False),
            sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
            sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column('status', sa.Integer(), nullable=False),
            sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
            sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['token_id'], ['api_tokens.id']),
            sa.PrimaryKeyConstraint('id'),
            sa.UniqueConstraint('token_id', 'key', name='uq_idempotent_request'),
        )
        op.create_index('ix_idempotent_requests_token_id', 'idempotent_requests', ['token_id'])


def downgrade() -> None:
    op.drop_table('idempotent_requests')
    op.drop_index('ix_api_tokens_token_hash', table_name='api_tokens')
    op.drop_index('ix_api_tokens_user_id', table_name='api_tokens')
    op.drop_table('api_tokens')
    sa.Enum(name='tokenscope').drop(op.get_bind(), checkfirst=True)
