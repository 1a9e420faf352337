"""outbox: an e-mail carrying a one-time link says until when, so it is not sent after then and its text is wiped

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25 02:00:00
"""

import sqlalchemy as sa
from alembic import op

import models

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if 'link_expires_at' in {column['name'] for column in sa.inspect(op.get_bind()).get_columns('outbox')}:
        return
    with op.batch_alter_table('outbox') as table:
        table.add_column(sa.Column('link_expires_at', models.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as table:
        table.drop_column('link_expires_at')
