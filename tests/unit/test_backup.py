"""`python main.py backup PATH` copies a live database consistently, and the copy restores."""

import contextlib
import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, create_engine, func, select

from models import Appointment
from services.booking import book
from services.errors import ClinicError
from tests.factories import NEXT_MONDAY, create_doctor, create_patients, local, make_clinic

ROOT = Path(__file__).resolve().parents[2]


def half_hours(day, count_):
    """The first `count_` free-slot starts of a standard day (09:00-12:00, 13:00-17:00)."""
    morning = [local(day, 9) + timedelta(minutes=30 * i) for i in range(6)]
    afternoon = [local(day, 13) + timedelta(minutes=30 * i) for i in range(8)]
    return (morning + afternoon)[:count_]


def test_a_backup_taken_while_bookings_are_written_is_consistent_and_restores(tmp_path):
    data = tmp_path / 'data'
    clinic = make_clinic(data)
    doctor = create_doctor(clinic)
    patients = create_patients(clinic, 60)
    before = [
        book(clinic, actor_id=p.id, doctor_id=doctor.id, starts_at=start).id
        for p, start in zip(patients[:10], half_hours(NEXT_MONDAY, 10), strict=True)
    ]
    stop = threading.Event()

    def keep_booking() -> None:  # a writer goes on while the backup is taken
        days = [NEXT_MONDAY + timedelta(days=d) for d in range(1, 5)]
        starts = [start for day in days for start in half_hours(day, 14)]
        for patient, start in zip(patients[10:], starts, strict=False):
            if stop.is_set():
                return
            with contextlib.suppress(ClinicError):
                book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=start)

    writer = threading.Thread(target=keep_booking)
    writer.start()
    try:
        result = subprocess.run(
            [sys.executable, 'main.py', 'backup', str(tmp_path / 'copies'), '--data-dir', str(data)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    copy = Path(result.stdout.strip().removeprefix('Backup written to '))
    assert copy.parent == tmp_path / 'copies' and copy.name.startswith('clinic-') and copy.suffix == '.db'

    # Restore as the README says: stop the app, put the copy in place of clinic.db, start again.
    restored_dir = tmp_path / 'restored'
    restored_dir.mkdir()
    (restored_dir / 'clinic.db').write_bytes(copy.read_bytes())
    engine = create_engine(f'sqlite:///{restored_dir / "clinic.db"}')
    with Session(engine) as session:
        assert session.connection().exec_driver_sql('PRAGMA integrity_check').scalar() == 'ok'
        assert set(before) <= set(session.exec(select(Appointment.id)))
        assert session.exec(select(func.count()).select_from(Appointment)).one() >= len(before)
    engine.dispose()
    restored = make_clinic(restored_dir)  # the app opens the restored database as its own
    assert len(restored.db.engine.dialect.get_table_names(restored.db.engine.connect())) > 0


def test_backup_without_a_path_is_refused_with_a_message(tmp_path):
    result = subprocess.run(
        [sys.executable, 'main.py', 'backup', '--data-dir', str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and 'backup needs a PATH' in result.stderr


def test_the_backup_command_points_postgresql_users_to_pg_dump(tmp_path):
    env = {**os.environ, 'CLINIC_DATABASE_URL': 'postgresql+psycopg://clinic@127.0.0.1/clinic'}
    env.pop('NICEGUI_USER_SIMULATION', None)
    done = subprocess.run(
        [sys.executable, 'main.py', 'backup', str(tmp_path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert 'No backup written' in done.stderr and 'pg_dump' in done.stderr
    assert list(tmp_path.iterdir()) == []
