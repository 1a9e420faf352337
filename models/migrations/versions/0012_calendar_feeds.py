"""calendar feeds: each person's private calendar address, kept only as a SHA-256 of its token, one per person

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25 02:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if 'calendar_feeds' in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_calendar_feeds_user_id', 'calendar_feeds', ['user_id'], unique=True)
    op.create_index('ix_calendar_feeds_token_hash', 'calendar_feeds', ['token_hash'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_calendar_feeds_token_hash', table_name='calendar_feeds')
    op.drop_index('ix_calendar_feeds_user_id', table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
