"""front desk patients and password resets: a phone number on every account, no email needed for a patient the front
desk registers (a phone caller, a walk-in), and the single-use links that set a password (forgotten, or claiming
such an account)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = sa.inspect(op.get_bind())  # on SQLite the batch rebuilds `users` (see Database.upgrade)
    columns = {column['name']: column for column in existing.get_columns('users')}
    with op.batch_alter_table('users', schema=None) as batch_op:
        if 'phone' not in columns:
            batch_op.add_column(
                sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), server_default='', nullable=False)
            )
        if not columns['email']['nullable']:
            batch_op.alter_column('email', existing_type=sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True)
    if 'password_resets' in existing.get_table_names():
        return
    op.create_table(
        'password_resets',
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('expires_at', models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('token_hash'),
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))
        batch_op.drop_index(batch_op.f('ix_password_resets_expires_at'))
    op.drop_table('password_resets')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False)
        batch_op.drop_column('phone')
