"""Issue 11 in the real app: the app dies after a reminder fell due and before it was sent; after the restart the
patient gets it exactly once (and a second restart sends nothing more)."""

import math
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from config import Settings
from services.booking import book
from services.read_models.free_time import day_slots
from services.schedule import parse_ranges, set_working_hours
from services.startup import open_clinic
from tests.e2e.conftest import RESULTS, TIMEZONE, App
from tests.factories import create_doctor, create_patient

STARTING_UP = 15  # seconds the app may take to start, so the reminder falls due while it runs


def test_a_reminder_due_when_the_app_is_killed_is_sent_once_after_the_restart(tmp_path, request):
    data_dir = tmp_path / 'data'
    appointment_start, patient_id = _an_appointment_minutes_ahead(data_dir)
    ahead = (appointment_start - datetime.now(UTC)).total_seconds()
    lead = math.floor((ahead - STARTING_UP) / 60)  # due between STARTING_UP and STARTING_UP + 60 seconds from now
    due_at = appointment_start - timedelta(minutes=lead)
    app = App(data_dir, RESULTS / f'{request.node.name}.app.log', env={'CLINIC_REMINDER_LEAD_MINUTES': f'[{lead}]'})
    RESULTS.mkdir(exist_ok=True)
    app.log_path.unlink(missing_ok=True)
    database = data_dir / 'clinic.db'
    app.start()
    try:
        assert datetime.now(UTC) < due_at, 'the app took too long to start'
        with _write_lock(database):  # whatever the app writes now waits: the reminder cannot be stored
            _wait_for(lambda: 'sending the' in app.log_path.read_text(), until=due_at + timedelta(seconds=30))
            assert datetime.now(UTC) >= due_at  # the reminder's job started at its due time...
            app.kill()  # ...and the app dies before it could send it
            assert _reminders(database, patient_id) == 0
        app.start()  # on start, the app catches up on what fell due while it was down
        _wait_for(lambda: _reminders(database, patient_id) == 1, until=datetime.now(UTC) + timedelta(seconds=20))
        app.restart()
        assert app.health()['runs_clinic_jobs']
        assert _reminders(database, patient_id) == 1
    finally:
        app.stop()
    app.log_path.unlink(missing_ok=True)


def _an_appointment_minutes_ahead(data_dir: Path) -> tuple[datetime, int]:
    """A doctor who works around the clock, and a patient booked with them two to three minutes from now."""
    settings = Settings(
        data_dir=data_dir, timezone=TIMEZONE, admin_email='admin@test.example', admin_password='admin-pass-1'
    )
    clinic = open_clinic(settings)
    try:
        doctor, patient = create_doctor(clinic, 'Dr. Night', slot_minutes=10), create_patient(clinic, 'Pat')
        always = {day: parse_ranges('00:00-23:50', weekday=day) for day in range(7)}
        set_working_hours(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, hours=always, slot_minutes=10)
        earliest = datetime.now(UTC) + timedelta(minutes=2)
        slot = next(
            slot
            for day in (clinic.today(), clinic.today() + timedelta(days=1))
            for slot in day_slots(clinic, doctor_id=doctor.id, day=day).slots
            if slot.starts_at >= earliest
        )
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=slot.starts_at)
        return slot.starts_at, patient.id
    finally:
        clinic.db.dispose()


class _write_lock:
    """Hold SQLite's write lock from outside the app, as a long transaction of another process would."""

    def __init__(self, database: Path) -> None:
        self.connection = sqlite3.connect(database, isolation_level=None, timeout=30)

    def __enter__(self) -> None:
        self.connection.execute('BEGIN IMMEDIATE')

    def __exit__(self, *_: object) -> None:
        self.connection.execute('ROLLBACK')
        self.connection.close()


def _reminders(database: Path, patient_id: int) -> int:
    with sqlite3.connect(database, timeout=30) as connection:
        query = "SELECT count(*) FROM notifications WHERE kind = 'reminder' AND user_id = ?"
        return int(connection.execute(query, (patient_id,)).fetchone()[0])


def _wait_for(condition, *, until: datetime) -> None:
    """Check a condition often until it holds; fail once the deadline has passed."""
    while not condition():
        if datetime.now(UTC) > until:
            raise AssertionError('condition not met in time')
        time.sleep(0.1)  # a short pause between checks of a condition, not a guess at how long something takes
