"""PostgreSQL: booked appointments of one doctor, or of one patient, never overlap (exclusion constraints)

On SQLite every write transaction holds the database's write lock, so the booking service's check for overlaps
cannot interleave with another booking; the partial unique indexes of 0001 back it up for equal start times.
PostgreSQL runs transactions side by side, so there the database itself refuses any two overlapping booked
appointments, whatever their start times (GiST exclusion over time ranges; btree_gist adds `=` on integers).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 02:00:00
"""

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

CONSTRAINTS = {
    'ex_appointment_doctor_overlap': 'doctor_id',
    'ex_appointment_patient_overlap': 'patient_id',
}


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
    for name, column in CONSTRAINTS.items():
        op.execute(
            f'ALTER TABLE appointments ADD CONSTRAINT {name} EXCLUDE USING gist '
            f"({column} WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in CONSTRAINTS:
        op.execute(f'ALTER TABLE appointments DROP CONSTRAINT {name}')
