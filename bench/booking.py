"""Booking throughput through the service on distinct slots, and how long a 50-way race on one slot takes."""

import tempfile
import threading
import time as clock
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from bench.clinic_setup import add_patients
from config import Settings
from models import Role
from services.accounts import create_account
from services.booking import book
from services.clock import FixedClock
from services.errors import ClinicError
from services.schedule import list_doctors
from services.startup import open_clinic


def run(bookings: int = 300, racers: int = 50) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        clinic = open_clinic(
            Settings(
                data_dir=Path(folder),
                timezone='UTC',
                admin_email='a@b.org',
                admin_password='bench-pass',
                booking_horizon_days=730,
            ),
            clock=FixedClock(datetime(2026, 11, 29, tzinfo=UTC)),
        )
        create_account(
            clinic, email='doc@b.org', full_name='Dr. Bench', password='bench-pass', role=Role.doctor, specialty='GP'
        )
        doctor = list_doctors(clinic)[0]
        patients = add_patients(clinic, bookings + racers)
        starts = _weekday_slots(bookings)
        started = clock.perf_counter()
        for patient, start in zip(patients, starts, strict=False):
            book(clinic, actor_id=patient, doctor_id=doctor.id, starts_at=start)
        elapsed = clock.perf_counter() - started

        barrier = threading.Barrier(racers)
        target = _weekday_slots(bookings + 1)[-1]

        def attempt(patient: int) -> bool:
            barrier.wait()
            try:
                book(clinic, actor_id=patient, doctor_id=doctor.id, starts_at=target)
                return True
            except ClinicError:
                return False

        race_started = clock.perf_counter()
        with ThreadPoolExecutor(racers) as pool:
            winners = sum(pool.map(attempt, patients[bookings:]))
        race = clock.perf_counter() - race_started
        clinic.db.dispose()
    return {
        'bookings': bookings,
        'bookings_per_second': round(bookings / elapsed, 1),
        'race_attempts': racers,
        'race_winners': winners,
        'race_settled_ms': round(race * 1000, 1),
    }


def _weekday_slots(count: int) -> list[datetime]:
    slots, day = [], datetime(2026, 11, 30, tzinfo=UTC).date()
    while len(slots) < count:
        if day.weekday() < 5:
            for start, end in ((9, 12), (13, 17)):
                at = datetime.combine(day, time(start), tzinfo=UTC)
                while at.hour < end:
                    slots.append(at)
                    at += timedelta(minutes=30)
        day += timedelta(days=1)
    return slots[:count]
