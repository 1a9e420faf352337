"""The clinic both servers serve: three doctors, a day to watch, patients who signed in earlier, and the patient
who makes the changes.

Each simulated browser belongs to its own patient. Their sign-ins are made the way the app makes them (a signed
session cookie whose browser id the clinic's sign-ins table maps to the patient), as if every patient had signed
in before the benchmark started; the benchmark then measures the booking page, not the sign-in form.

The patient who makes the changes (`PATIENT_EMAIL`, the demo's password) signs in through /login in Chromium.
"""

import dataclasses
import json
import os
import shutil
import uuid
from base64 import b64encode
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import itsdangerous

from bench.clinic_setup import add_patients
from config import Settings
from models import Role
from services.accounts import create_account
from services.clinic import Clinic
from services.demo import DEMO_PASSWORD
from services.schedule import list_doctors
from services.sign_ins import remember_sign_in
from services.startup import open_clinic
from services.visit_types import add_visit_type

SECRET = 'fan-out-benchmark-secret-at-least-32-chars'
ENV = {
    'CLINIC_TIMEZONE': 'UTC',
    'CLINIC_STORAGE_SECRET': SECRET,
    'CLINIC_ADMIN_EMAIL': 'admin@b.org',
    'CLINIC_ADMIN_PASSWORD': 'bench-pass',
    'CLINIC_MIN_NOTICE_MINUTES': '0',
}
BLOCKED = (time(14), time(14, 30))  # the change: this half hour of the watched day is blocked, then freed again
PATIENT_EMAIL = 'clicker@b.org'  # books BLOCKED[0] and cancels it again, in Chromium


@dataclass(frozen=True)
class Prepared:
    folder: Path
    day: date  # the watched day
    other_day: date  # the same doctor's next working day
    doctor_id: int  # the watched doctor
    doctor_user_id: int  # who makes the change
    other_doctor_id: int
    cookies: tuple[str, ...]  # one signed-in patient per simulated browser
    database_url: str | None = None  # None: SQLite in the folder
    patient_email: str = PATIENT_EMAIL  # who signs in through /login in Chromium and makes the changes
    patient_password: str = DEMO_PASSWORD

    def env(self, port: int) -> dict[str, str]:
        return {
            **os.environ,
            **ENV,
            **({'CLINIC_DATABASE_URL': self.database_url} if self.database_url else {}),
            'CLINIC_DATA_DIR': str(self.folder),
            'CLINIC_PORT': str(port),
            'CLINIC_HOST': '127.0.0.1',
        }

    def copy(self, folder: Path) -> 'Prepared':
        shutil.copytree(self.folder, folder)
        return dataclasses.replace(self, folder=folder)


def settings(folder: Path, database_url: str | None = None) -> Settings:
    """The settings the servers read from `ENV` (for code that opens the same clinic in-process)."""
    return Settings(
        data_dir=folder,
        timezone=ENV['CLINIC_TIMEZONE'],
        admin_email=ENV['CLINIC_ADMIN_EMAIL'],
        admin_password=ENV['CLINIC_ADMIN_PASSWORD'],
        min_notice_minutes=int(ENV['CLINIC_MIN_NOTICE_MINUTES']),
        database_url=database_url,
    )


def prepare(folder: Path, browsers: int, database_url: str | None = None) -> Prepared:
    clinic = open_clinic(settings(folder, database_url))
    for n, specialty in enumerate(('General Practice', 'Pediatrics', 'Dermatology')):
        create_account(
            clinic,
            email=f'doc{n}@b.org',
            full_name=f'Dr. Bench {n}',
            password='bench-pass',
            role=Role.doctor,
            specialty=specialty,
        )
    create_account(  # as the demo's patients are made (its published password, past the password policy)
        clinic,
        email=PATIENT_EMAIL,
        full_name='Bench Patient',
        password=DEMO_PASSWORD,
        role=Role.patient,
        password_policy=False,
    )
    doctors = list_doctors(clinic)
    watched = doctors[0]  # offers three kinds of visit, so each change computes (and sends) the day for all three
    for name, minutes, after in (('Long visit', 60, 0), ('Check', 15, 5)):
        add_visit_type(clinic, actor_id=watched.user_id, doctor_id=watched.id, name=name, minutes=minutes, after=after)
    patients = add_patients(clinic, browsers)
    cookies = tuple(_signed_in(clinic, patient) for patient in patients)
    clinic.db.dispose()
    day = _weekday_after(datetime.now(UTC).date() + timedelta(days=1))
    return Prepared(
        folder=folder,
        day=day,
        other_day=_weekday_after(day + timedelta(days=1)),
        doctor_id=doctors[0].id,
        doctor_user_id=doctors[0].user_id,
        other_doctor_id=doctors[1].id,
        cookies=cookies,
        database_url=database_url,
    )


def _signed_in(clinic: Clinic, patient_id: int) -> str:
    """Sign a patient in on a new browser and return that browser's session cookie."""
    browser_id = str(uuid.uuid4())
    remember_sign_in(clinic, browser_id=browser_id, person_id=patient_id)
    signed = itsdangerous.TimestampSigner(SECRET).sign(b64encode(json.dumps({'id': browser_id}).encode()))
    return f'session={signed.decode()}'


def _weekday_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
