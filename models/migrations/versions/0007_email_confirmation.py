"""email confirmation: when each account's address was confirmed (every existing account counts as confirmed), and
the one-time links sent to confirm it

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 12:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database adopted from before migrations may have had its users table created from the newest model already
    existing = sa.inspect(op.get_bind())
    if 'email_confirmed_at' not in {column['name'] for column in existing.get_columns('users')}:
        with op.batch_alter_table('users', schema=None) as batch_op:
            batch_op.add_column(sa.Column('email_confirmed_at', models.types.UTCDateTime(timezone=True), nullable=True))
    # accounts made before sign-up asked for a confirmation keep booking as they did
    op.execute(sa.text('UPDATE users SET email_confirmed_at = created_at WHERE email_confirmed_at IS NULL'))
    if 'email_confirmations' in existing.get_table_names():
        return
    op.create_table(
        'email_confirmations',
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    with op.batch_alter_table('email_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_confirmations_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_confirmations_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('email_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_confirmations_user_id'))
        batch_op.drop_index(batch_op.f('ix_email_confirmations_expires_at'))
    op.drop_table('email_confirmations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
