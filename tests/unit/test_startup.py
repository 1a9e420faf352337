"""Several app processes starting together on one PostgreSQL database migrate and seed one after the other.
(Without the start-up lock, about one run in three of eight simultaneous starts crashed some of them on a
duplicate account; the test makes three such runs.)"""

import threading
from pathlib import Path

from sqlmodel import func, select

from config import Settings
from models import User
from services.clinic import Clinic
from services.startup import open_clinic

STARTS = 8


def start_together(folder: Path, url: str) -> tuple[list[Clinic], list[Exception]]:
    clinics: list[Clinic] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(STARTS)

    def start(n: int) -> None:
        barrier.wait()
        try:
            clinics.append(open_clinic(Settings(data_dir=folder / str(n), database_url=url, demo=True, timezone='UTC')))
        except Exception as error:  # a crash at start-up is what this test is about
            errors.append(error)

    threads = [threading.Thread(target=start, args=(n,)) for n in range(STARTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return clinics, errors


def test_processes_starting_together_create_the_demo_clinic_once(tmp_path, postgres_databases):
    for run in range(3):
        url = postgres_databases.new()
        clinics, errors = start_together(tmp_path / str(run), url)
        try:
            assert errors == []
            with clinics[0].db.reading() as session:
                users = session.exec(select(func.count()).select_from(User)).one()
            assert users == 6  # 1 admin, 3 doctors, 2 patients
        finally:
            for clinic in clinics:
                clinic.db.dispose()
            postgres_databases.drop(url)
