"""Several app processes starting together on one PostgreSQL database migrate and seed one after the other.
(Without the start-up lock, about one run in three of eight simultaneous starts crashed some of them on a
duplicate account; the test makes three such runs.) The example and short secrets are refused, and the data
folder and its files are the app user's alone."""

import os
import stat
import threading
from pathlib import Path

import pytest
from sqlmodel import func, select

from config import Settings
from models import User
from services.clinic import Clinic
from services.startup import UnsafeSetting, keep_files_private, open_clinic, refuse_unsafe_settings, storage_secret

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


@pytest.mark.parametrize(
    ('settings', 'complaint'),
    [
        ({'storage_secret': 'CHANGE-ME'}, 'is the example value CHANGE-ME'),
        ({'storage_secret': 'x' * 31}, 'has 31 characters; it needs at least 32'),
        ({'database_url': 'postgresql+psycopg://clinic:CHANGE-ME@db/clinic'}, 'the example password CHANGE-ME'),
    ],
)
def test_the_example_secrets_and_a_short_session_secret_are_refused(tmp_path, settings, complaint):
    with pytest.raises(UnsafeSetting, match=complaint):
        refuse_unsafe_settings(Settings(data_dir=tmp_path, **settings))
    with pytest.raises(UnsafeSetting):
        open_clinic(Settings(data_dir=tmp_path, **settings))


def test_a_long_secret_is_kept_and_a_short_one_in_the_data_dir_is_refused_too(tmp_path):
    good = 's' * 32
    assert storage_secret(Settings(data_dir=tmp_path, storage_secret=good)) == good
    (tmp_path / 'storage_secret').write_text('too-short')
    with pytest.raises(UnsafeSetting, match='storage_secret has 9 characters'):
        refuse_unsafe_settings(Settings(data_dir=tmp_path))


def test_the_data_dir_and_the_files_the_process_creates_are_the_app_users_alone(tmp_path):
    before = os.umask(0o022)  # as a login shell starts it
    try:
        keep_files_private()
        clinic = open_clinic(Settings(data_dir=tmp_path / 'data', timezone='UTC'))
        clinic.db.dispose()
        secret = storage_secret(Settings(data_dir=tmp_path / 'data'))
    finally:
        os.umask(before)
    folder = tmp_path / 'data'
    assert len(secret) >= 32
    assert _mode(folder) == 0o700
    assert {path.name: _mode(path) for path in folder.iterdir()} == {path.name: 0o600 for path in folder.iterdir()}


def test_files_an_older_version_left_readable_are_taken_back(tmp_path):
    folder = tmp_path / 'data'
    folder.mkdir(mode=0o755)
    (folder / 'clinic.db').touch(mode=0o644)
    (folder / 'storage_secret').write_text('s' * 48)
    (folder / 'storage_secret').chmod(0o644)
    clinic = open_clinic(Settings(data_dir=folder, timezone='UTC'))
    clinic.db.dispose()
    assert _mode(folder) == 0o700 and _mode(folder / 'clinic.db') == 0o600 and _mode(folder / 'storage_secret') == 0o600


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
