"""waitlist: patients waiting for time with a doctor, and time held for them (appointments with status held)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25 03:00:00
"""

import sqlalchemy as sa
from alembic import op

import models

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

KEEPING = "status IN ('booked', 'held')"
# PostgreSQL cannot use an enum value in the transaction that adds it, so there the same set is named by what it is not
KEEPING_PG = "status NOT IN ('cancelled', 'completed', 'no_show')"
BOOKED = "status = 'booked'"


def upgrade() -> None:
    bind = op.get_bind()
    existing = sa.inspect(bind)
    if bind.dialect.name == 'postgresql':
        op.execute("ALTER TYPE appointmentstatus ADD VALUE IF NOT EXISTS 'held'")
    if 'waitlist_entries' not in existing.get_table_names():
        op.create_table(
            'waitlist_entries',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('patient_id', sa.Integer(), nullable=False),
            sa.Column('doctor_id', sa.Integer(), nullable=False),
            sa.Column('type_id', sa.Integer(), nullable=False),
            sa.Column('first_day', sa.Date(), nullable=False),
            sa.Column('last_day', sa.Date(), nullable=False),
            sa.Column('earliest', sa.Time(), nullable=True),
            sa.Column('latest', sa.Time(), nullable=True),
            sa.Column('appointment_id', sa.Integer(), nullable=True),
            sa.Column(
                'status', sa.Enum('waiting', 'offered', 'served', 'left', name='waitstatus'), nullable=False
            ),
            sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
            sa.Column('ended_at', models.types.UTCDateTime(timezone=True), nullable=True),
            sa.CheckConstraint('first_day <= last_day', name='ck_waitlist_days'),
            sa.CheckConstraint('earliest IS NULL OR latest IS NULL OR earliest < latest', name='ck_waitlist_window'),
            sa.ForeignKeyConstraint(['patient_id'], ['users.id']),
            sa.ForeignKeyConstraint(['doctor_id'], ['doctors.id']),
            sa.ForeignKeyConstraint(['type_id'], ['appointment_types.id']),
            sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id']),
            sa.PrimaryKeyConstraint('id'),
        )
        op.create_index('ix_waitlist_entries_patient_id', 'waitlist_entries', ['patient_id'])
        op.create_index('ix_waitlist_entries_doctor_id', 'waitlist_entries', ['doctor_id'])
        op.create_index('ix_waitlist_entries_status', 'waitlist_entries', ['status'])
    columns = {column['name'] for column in existing.get_columns('appointments')}
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        if 'waitlist_entry_id' not in columns:
            batch_op.add_column(sa.Column('waitlist_entry_id', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('held_until', models.types.UTCDateTime(timezone=True), nullable=True))
            batch_op.create_index('ix_appointments_waitlist_entry_id', ['waitlist_entry_id'], unique=False)
    postgres = bind.dialect.name == 'postgresql'
    _active_indexes(KEEPING_PG if postgres else KEEPING)
    if postgres:
        _exclusion(KEEPING_PG)


def downgrade() -> None:
    op.execute("DELETE FROM appointments WHERE status = 'held'")
    if op.get_bind().dialect.name == 'postgresql':
        _exclusion(BOOKED)
    _active_indexes(BOOKED)
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_waitlist_entry_id')
        batch_op.drop_column('held_until')
        batch_op.drop_column('waitlist_entry_id')
    op.drop_table('waitlist_entries')
    sa.Enum(name='waitstatus').drop(op.get_bind(), checkfirst=True)  # 'held' stays in appointmentstatus: harmless


def _active_indexes(where: str) -> None:
    """The doctor's and the patient's one-appointment-per-start guarantee, over the statuses that keep time."""
    for name, column in (
        ('uq_appointment_doctor_start_active', 'doctor_id'),
        ('uq_appointment_patient_start_active', 'patient_id'),
    ):
        op.execute(f'DROP INDEX IF EXISTS {name}')
        op.execute(f'CREATE UNIQUE INDEX {name} ON appointments ({column}, starts_at) WHERE {where}')


def _exclusion(where: str) -> None:
    """PostgreSQL's no-overlap guarantee: a doctor's kept time (with buffers), a patient's visits."""
    for name, column, start, end in (
        ('ex_appointment_doctor_overlap', 'doctor_id', 'blocked_from', 'blocked_until'),
        ('ex_appointment_patient_overlap', 'patient_id', 'starts_at', 'ends_at'),
    ):
        op.execute(f'ALTER TABLE appointments DROP CONSTRAINT IF EXISTS {name}')
        op.execute(
            f'ALTER TABLE appointments ADD CONSTRAINT {name} EXCLUDE USING gist '
            f'({column} WITH =, tstzrange({start}, {end}) WITH &&) WHERE ({where})'
        )
