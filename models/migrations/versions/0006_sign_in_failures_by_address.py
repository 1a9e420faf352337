"""sign-in failures by email and client address, found by address and age (for the throttle and for expiring them)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a database adopted from before migrations may have had this table created from the newest model already
    existing = sa.inspect(op.get_bind())
    columns = {column['name'] for column in existing.get_columns('login_failures')}
    indexes = {index['name'] for index in existing.get_indexes('login_failures')}
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        if 'client' not in columns:
            batch_op.add_column(
                sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=64), server_default='', nullable=False)
            )
        if 'ix_login_failures_failed_at' not in indexes:
            batch_op.create_index('ix_login_failures_failed_at', ['failed_at'], unique=False)
        if 'ix_login_failures_client_failed_at' not in indexes:
            batch_op.create_index('ix_login_failures_client_failed_at', ['client', 'failed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_client_failed_at')
        batch_op.drop_index('ix_login_failures_failed_at')
        batch_op.drop_column('client')
