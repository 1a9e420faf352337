"""appointment types: each doctor's kinds of visit with their own length and buffers; every appointment names its
type and the time it keeps from others (the visit with its buffers)

Every doctor gets one type, "Consultation", as long as their slot, and every existing appointment gets that type and
keeps its times (no buffers), so nothing changes for a clinic that adds no type. On PostgreSQL the exclusion
constraint that keeps a doctor's booked appointments apart now covers the kept time, buffers included.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OFFERED = sa.text('retired_at IS NULL')
DEFAULT_TYPE = 'Consultation'


def upgrade() -> None:
    bind = op.get_bind()
    existing = sa.inspect(bind)
    if 'appointment_types' not in existing.get_table_names():
        _create_types()
    bind.execute(
        sa.text(
            'INSERT INTO appointment_types (doctor_id, name, minutes, buffer_before, buffer_after, patients_may_book) '
            'SELECT d.id, :name, MIN(240, MAX(5, d.slot_minutes - d.slot_minutes % 5)), 0, 0, :yes FROM doctors d '
            'WHERE NOT EXISTS (SELECT 1 FROM appointment_types t WHERE t.doctor_id = d.id)'
            if bind.dialect.name == 'sqlite'
            else 'INSERT INTO appointment_types (doctor_id, name, minutes, buffer_before, buffer_after, '
            'patients_may_book) SELECT d.id, :name, LEAST(240, GREATEST(5, d.slot_minutes - d.slot_minutes % 5)), '
            '0, 0, :yes FROM doctors d WHERE NOT EXISTS (SELECT 1 FROM appointment_types t WHERE t.doctor_id = d.id)'
        ),
        {'name': DEFAULT_TYPE, 'yes': True},
    )
    columns = {column['name'] for column in existing.get_columns('appointments')}
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        for name in ('blocked_from', 'blocked_until'):
            if name not in columns:
                batch_op.add_column(sa.Column(name, models.types.UTCDateTime(timezone=True), nullable=True))
        if 'type_id' not in columns:
            batch_op.add_column(sa.Column('type_id', sa.Integer(), nullable=True))
    bind.execute(
        sa.text(
            'UPDATE appointments SET blocked_from = COALESCE(blocked_from, starts_at), '
            'blocked_until = COALESCE(blocked_until, ends_at), type_id = COALESCE(type_id, (SELECT MIN(t.id) FROM '
            'appointment_types t WHERE t.doctor_id = appointments.doctor_id))'
        )
    )
    indexes = {index['name'] for index in existing.get_indexes('appointments')}
    checks = {check['name'] for check in existing.get_check_constraints('appointments')}
    keys = {tuple(key['constrained_columns']) for key in existing.get_foreign_keys('appointments')}
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        for name in ('blocked_from', 'blocked_until', 'type_id'):
            batch_op.alter_column(name, existing_type=_column_type(name), nullable=False)
        if ('type_id',) not in keys:
            batch_op.create_foreign_key('fk_appointments_type_id', 'appointment_types', ['type_id'], ['id'])
        if 'ix_appointments_type_id' not in indexes:
            batch_op.create_index('ix_appointments_type_id', ['type_id'], unique=False)
        if 'ck_appointment_blocked' not in checks:
            batch_op.create_check_constraint(
                'ck_appointment_blocked', sa.text('blocked_from <= starts_at AND ends_at <= blocked_until')
            )
    if bind.dialect.name == 'postgresql':
        op.execute('ALTER TABLE appointments DROP CONSTRAINT IF EXISTS ex_appointment_doctor_overlap')
        op.execute(
            'ALTER TABLE appointments ADD CONSTRAINT ex_appointment_doctor_overlap EXCLUDE USING gist '
            "(doctor_id WITH =, tstzrange(blocked_from, blocked_until) WITH &&) WHERE (status = 'booked')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE appointments DROP CONSTRAINT ex_appointment_doctor_overlap')
        op.execute(
            'ALTER TABLE appointments ADD CONSTRAINT ex_appointment_doctor_overlap EXCLUDE USING gist '
            "(doctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')"
        )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_constraint('ck_appointment_blocked', type_='check')
        batch_op.drop_index('ix_appointments_type_id')
        batch_op.drop_constraint('fk_appointments_type_id', type_='foreignkey')
        batch_op.drop_column('type_id')
        batch_op.drop_column('blocked_until')
        batch_op.drop_column('blocked_from')
    op.drop_table('appointment_types')


def _column_type(name: str) -> sa.types.TypeEngine:  # type: ignore[type-arg]
    return sa.Integer() if name == 'type_id' else models.types.UTCDateTime(timezone=True)


def _create_types() -> None:
    op.create_table(
        'appointment_types',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('doctor_id', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('buffer_before', sa.Integer(), nullable=False),
        sa.Column('buffer_after', sa.Integer(), nullable=False),
        sa.Column('patients_may_book', sa.Boolean(), nullable=False),
        sa.Column('retired_at', models.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint('minutes BETWEEN 5 AND 240 AND minutes % 5 = 0', name='ck_type_minutes'),
        sa.CheckConstraint('buffer_before BETWEEN 0 AND 120 AND buffer_before % 5 = 0', name='ck_type_buffer_before'),
        sa.CheckConstraint('buffer_after BETWEEN 0 AND 120 AND buffer_after % 5 = 0', name='ck_type_buffer_after'),
        sa.ForeignKeyConstraint(['doctor_id'], ['doctors.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_appointment_types_doctor_id', 'appointment_types', ['doctor_id'], unique=False)
    op.create_index(
        'uq_type_doctor_name_offered',
        'appointment_types',
        ['doctor_id', 'name'],
        unique=True,
        sqlite_where=OFFERED,
        postgresql_where=OFFERED,
    )
