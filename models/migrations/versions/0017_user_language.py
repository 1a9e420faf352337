"""Each person's chosen language (pages, e-mails and reminders go out in it)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25 06:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column['name'] for column in sa.inspect(op.get_bind()).get_columns('users')}
    if 'language' not in columns:
        with op.batch_alter_table('users') as batch:
            batch.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('language')
