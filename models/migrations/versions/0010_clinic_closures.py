"""clinic closures: a holiday or training day for the whole clinic or chosen doctors, held by each doctor it covers as
an unavailability period that points to it

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 00:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = sa.inspect(op.get_bind())
    if 'closures' not in existing.get_table_names():
        op.create_table(
            'closures',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
            sa.Column('starts_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('ends_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('whole_clinic', sa.Boolean(), nullable=False),
            sa.Column('created_by_id', sa.Integer(), nullable=False),
            sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.CheckConstraint('starts_at < ends_at', name='ck_closure_order'),
            sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
            sa.PrimaryKeyConstraint('id'),
        )
        op.create_index('ix_closures_starts_at', 'closures', ['starts_at'], unique=False)
        op.create_index('ix_closures_ends_at', 'closures', ['ends_at'], unique=False)
    if 'closure_id' in {column['name'] for column in existing.get_columns('unavailabilities')}:
        return
    with op.batch_alter_table('unavailabilities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closure_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_unavailabilities_closure_id', 'closures', ['closure_id'], ['id'])
        batch_op.create_index('ix_unavailabilities_closure_id', ['closure_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('unavailabilities', schema=None) as batch_op:
        batch_op.drop_index('ix_unavailabilities_closure_id')
        batch_op.drop_constraint('fk_unavailabilities_closure_id', type_='foreignkey')
        batch_op.drop_column('closure_id')
    op.drop_index('ix_closures_ends_at', table_name='closures')
    op.drop_index('ix_closures_starts_at', table_name='closures')
    op.drop_table('closures')
