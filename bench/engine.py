"""Slot engine: 30 days of free slots for 100 doctors with realistic hours, periods and bookings."""

import random
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.slot_engine import free_slots

TZ = ZoneInfo('Europe/Berlin')
HOURS = [(time(9), time(12)), (time(13), time(17))]


def workload(doctors: int, days: int, seed: int = 6) -> list[dict]:
    """Each doctor: weekday hours, a slot length, a few unavailability periods and a half-full diary."""
    rng = random.Random(seed)
    first = date(2026, 11, 30)
    cases = []
    for _ in range(doctors):
        slot = rng.choice([15, 20, 30, 30, 30, 45, 60])
        periods = []
        for _ in range(rng.randint(0, 3)):
            start = datetime.combine(first + timedelta(days=rng.randrange(days)), time(rng.randint(8, 15)), tzinfo=TZ)
            length = timedelta(hours=rng.choice([1, 2, 4, 24, 72]))
            periods.append((start.astimezone(UTC), (start + length).astimezone(UTC)))
        for offset in range(days):
            day = first + timedelta(days=offset)
            if day.weekday() >= 5:  # the weekend: no hours, still computed
                cases.append(
                    dict(
                        day=day,
                        hours=[],
                        slot_minutes=slot,
                        busy=list(periods),
                        now=datetime(2026, 11, 29, tzinfo=UTC),
                        min_notice=timedelta(0),
                        tz=TZ,
                    )
                )
                continue
            busy = list(periods)
            for start, end in HOURS:
                at = datetime.combine(day, start, tzinfo=TZ)
                while at.time() < end:
                    if rng.random() < 0.5:
                        busy.append((at.astimezone(UTC), (at + timedelta(minutes=slot)).astimezone(UTC)))
                    at += timedelta(minutes=slot)
            cases.append(
                dict(
                    day=day,
                    hours=HOURS,
                    slot_minutes=slot,
                    busy=busy,
                    now=datetime(2026, 11, 29, tzinfo=UTC),
                    min_notice=timedelta(0),
                    tz=TZ,
                )
            )
    return cases


def run(doctors: int = 100, days: int = 30, repeats: int = 5) -> dict:
    cases = workload(doctors, days)
    best = float('inf')
    slots = 0
    for _ in range(repeats):
        started = clock.perf_counter()
        slots = sum(len(free_slots(**case)) for case in cases)
        best = min(best, clock.perf_counter() - started)
    return {
        'doctors': doctors,
        'days': days,
        'doctor_days': len(cases),
        'free_slots': slots,
        'best_ms': round(best * 1000, 1),
        'target_ms': 100,
    }
