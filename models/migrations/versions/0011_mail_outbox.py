"""mail outbox: every e-mail is a row written with the change that causes it, sent later with retries

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 01:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if 'outbox' in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('to_address', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=True),
        sa.Column('calendar', sa.Text(), nullable=True),
        sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('status', sa.Enum('pending', 'sending', 'sent', 'failed', name='mailstatus'), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('appointment_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('attempts >= 0', name='ck_outbox_attempts'),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('message_id'),
    )
    op.create_index('ix_outbox_status', 'outbox', ['status'], unique=False)
    op.create_index('ix_outbox_next_attempt_at', 'outbox', ['next_attempt_at'], unique=False)
    op.create_index('ix_outbox_appointment_id', 'outbox', ['appointment_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_appointment_id', table_name='outbox')
    op.drop_index('ix_outbox_next_attempt_at', table_name='outbox')
    op.drop_index('ix_outbox_status', table_name='outbox')
    op.drop_table('outbox')
    sa.Enum(name='mailstatus').drop(op.get_bind(), checkfirst=True)
