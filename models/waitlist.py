from datetime import date, datetime, time
from enum import Enum

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class WaitStatus(str, Enum):
    waiting = 'waiting'  # in line for time that frees up
    offered = 'offered'  # a time is held for it (an appointment with status held)
    served = 'served'  # it got its time: booked, or its appointment moved earlier
    left = 'left'  # the patient left the list, or the front desk took the entry off


class WaitlistEntry(SQLModel, table=True):
    """A patient waiting for time with a doctor: on some days (one, or a range), optionally within a window of the
    day and for one kind of visit; or, with `appointment_id`, for an earlier time than a booked appointment.

    Entries are served in the order they joined (`created_at`, then `id`).
    """

    __tablename__ = 'waitlist_entries'
    __table_args__ = (
        CheckConstraint('first_day <= last_day', name='ck_waitlist_days'),
        CheckConstraint('earliest IS NULL OR latest IS NULL OR earliest < latest', name='ck_waitlist_window'),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key='users.id', index=True)
    doctor_id: int = Field(foreign_key='doctors.id', index=True)
    type_id: int = Field(foreign_key='appointment_types.id')
    first_day: date
    last_day: date
    earliest: time | None = None  # the visit starts at or after this local time
    latest: time | None = None  # and ends by this one
    appointment_id: int | None = Field(default=None, foreign_key='appointments.id')  # an earlier-time watch
    status: WaitStatus = Field(default=WaitStatus.waiting, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
