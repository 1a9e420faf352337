"""PostgreSQL itself refuses overlapping booked appointments of one doctor or one patient, whatever their starts
(SQLite gets the same guarantee from its write lock, see test_concurrency)."""

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy.exc import IntegrityError

from models import AppointmentStatus
from services.database import Database, _alembic_config
from tests.factories import NEXT_MONDAY, appointment_row, create_doctor, create_patient, local, make_clinic


@pytest.fixture
def pg_clinic(tmp_path, postgres_databases):
    url = postgres_databases.new()
    clinic = make_clinic(tmp_path, database_url=url)
    yield clinic
    clinic.db.dispose()
    postgres_databases.drop(url)


def insert(clinic, doctor_id, patient_id, start, minutes=30, status=AppointmentStatus.booked):
    with clinic.db.writing() as session:
        session.add(appointment_row(session, doctor_id, patient_id, start, minutes=minutes, status=status))


def test_two_booked_appointments_of_one_doctor_cannot_overlap(pg_clinic):
    doctor, anna, ben = create_doctor(pg_clinic), create_patient(pg_clinic, 'Anna'), create_patient(pg_clinic, 'Ben')
    insert(pg_clinic, doctor.id, anna.id, local(NEXT_MONDAY, 9))
    with pytest.raises(IntegrityError, match='ex_appointment_doctor_overlap'):
        insert(pg_clinic, doctor.id, ben.id, local(NEXT_MONDAY, 9, 15))
    insert(pg_clinic, doctor.id, ben.id, local(NEXT_MONDAY, 9, 15), status=AppointmentStatus.cancelled)
    insert(pg_clinic, doctor.id, ben.id, local(NEXT_MONDAY, 9, 30))  # touching is not overlapping


def test_the_time_kept_around_a_visit_is_covered_too(pg_clinic):
    """Two visits that do not overlap, but the first one's buffer runs into the second: refused by the database."""
    doctor, anna, ben = create_doctor(pg_clinic), create_patient(pg_clinic, 'Anna'), create_patient(pg_clinic, 'Ben')
    start = local(NEXT_MONDAY, 9)
    with pg_clinic.db.writing() as session:
        row = appointment_row(session, doctor.id, anna.id, start)
        row.blocked_until = start + timedelta(minutes=45)  # 15 minutes kept free after it
        session.add(row)
    with pytest.raises(IntegrityError, match='ex_appointment_doctor_overlap'):
        insert(pg_clinic, doctor.id, ben.id, local(NEXT_MONDAY, 9, 30))
    insert(pg_clinic, doctor.id, ben.id, local(NEXT_MONDAY, 9, 45))


def test_one_patient_cannot_hold_two_overlapping_bookings(pg_clinic):
    smith, jones = create_doctor(pg_clinic, 'Dr. Smith'), create_doctor(pg_clinic, 'Dr. Jones')
    anna = create_patient(pg_clinic, 'Anna')
    insert(pg_clinic, smith.id, anna.id, local(NEXT_MONDAY, 9))
    with pytest.raises(IntegrityError, match='ex_appointment_patient_overlap'):
        insert(pg_clinic, jones.id, anna.id, local(NEXT_MONDAY, 9, 20), minutes=20)


def test_the_constraints_come_and_go_with_their_migration(postgres_databases):
    url = postgres_databases.new()
    db = Database(url)
    try:
        assert exclusions(db) == {'ex_appointment_doctor_overlap', 'ex_appointment_patient_overlap'}
        with db.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), '0002')
        assert exclusions(db) == set()
        db.upgrade()
        assert exclusions(db) == {'ex_appointment_doctor_overlap', 'ex_appointment_patient_overlap'}
    finally:
        db.dispose()
        postgres_databases.drop(url)


def exclusions(db: Database) -> set[str]:
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'appointments'::regclass AND contype = 'x'"
        ).all()
    return {row[0] for row in rows}
