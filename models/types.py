"""Column types and enumerations shared by the clinic's tables."""

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every database (SQLite keeps no offset of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError('naive datetimes are not stored; attach a time zone first')
        value = value.astimezone(UTC)
        return value if dialect.name == 'postgresql' else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(str, Enum):
    patient = 'patient'
    doctor = 'doctor'
    admin = 'admin'


class AppointmentStatus(str, Enum):
    booked = 'booked'
    cancelled = 'cancelled'
    completed = 'completed'
    no_show = 'no_show'
    held = 'held'  # time offered to a patient from the waitlist, kept for them until they answer or it expires


# The statuses that keep a doctor's time from everyone else: the database refuses two of them overlapping (on
# PostgreSQL its constraints name the others instead: a new status keeps time there unless they are changed).
KEEPS_TIME = (AppointmentStatus.booked, AppointmentStatus.held)


class UnavailabilityReason(str, Enum):
    vacation = 'vacation'
    conference = 'conference'
    sick = 'sick'
    personal = 'personal'
    other = 'other'
