"""A clinic writer for the crash test: books and blocks in a loop, and logs each booking only after it committed.

Run as `python -m tests.crash.writer DATA_DIR LOG_FILE SEED [DATABASE_URL]` (default: SQLite in DATA_DIR); it runs
until it is killed.
"""

import os
import random
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from config import Settings
from services.accounts import sign_in
from services.availability import InTheWay, mark_unavailable, remove_unavailability
from services.booking import book, cancel
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.clock import FixedClock
from services.errors import ClinicError
from services.startup import open_clinic

DAY = datetime(2030, 1, 7, tzinfo=UTC).date()  # a Monday, far enough ahead; the clock is fixed before it


def main(data_dir: Path, log_path: Path, seed: int, database_url: str | None) -> None:
    clinic = open_clinic(
        Settings(
            data_dir=data_dir,
            timezone='UTC',
            demo=True,
            booking_horizon_days=730,
            database_url=database_url,
            max_future_bookings=500,  # two patients stand in for a busy clinic's many: the limits of one person
            max_bookings_per_doctor_day=50,  # against slot hoarding would stop the writer after a few bookings
        ),
        clock=FixedClock(datetime(2029, 12, 20, tzinfo=UTC)),
    )
    rng = random.Random(seed)
    doctor = sign_in(clinic, email='alice.smith@clinic.example', password='demo1234')
    patients = [
        sign_in(clinic, email=email, password='demo1234').id
        for email in ('maria.lopez@mail.example', 'james.lee@mail.example')
    ]
    log = log_path.open('a')
    while True:
        day = DAY + timedelta(weeks=rng.randrange(0, 100))
        start = datetime.combine(day, time(9), tzinfo=UTC) + timedelta(minutes=30 * rng.randrange(0, 6))
        action = rng.random()
        try:
            if action < 0.7:
                info = book(
                    clinic,
                    actor_id=rng.choice(patients),
                    doctor_id=doctor.doctor_id,
                    starts_at=start,
                    second_that_day=True,
                )
                log.write(f'{info.id}\n')  # only after the commit returned
                log.flush()
                os.fsync(log.fileno())
            elif action < 0.85:
                period = mark_unavailable(
                    clinic,
                    actor_id=doctor.id,
                    doctor_id=doctor.doctor_id,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    in_the_way=InTheWay.keep,
                )
                remove_unavailability(clinic, actor_id=doctor.id, period_id=period.id)
            else:
                info = book(
                    clinic,
                    actor_id=rng.choice(patients),
                    doctor_id=doctor.doctor_id,
                    starts_at=start,
                    second_that_day=True,
                )
                cancel(clinic, actor_id=doctor.id, appointment_id=info.id, reason=DOCTOR_UNAVAILABLE)
                log.write(f'{info.id}\n')
                log.flush()
                os.fsync(log.fileno())
        except ClinicError:
            continue


if __name__ == '__main__':
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
