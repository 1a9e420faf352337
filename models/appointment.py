from datetime import datetime

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from .types import AppointmentStatus, UTCDateTime, utcnow

_ACTIVE = text("status IN ('booked', 'held')")  # the statuses that keep time (KEEPS_TIME)
_ACTIVE_PG = text("status NOT IN ('cancelled', 'completed', 'no_show')")  # the same (migration 0014 says why)


class Appointment(SQLModel, table=True):
    """A patient's booked time with a doctor (or time held for a patient from the waitlist: status held).

    The partial unique indexes are the database's own guarantee that no doctor and no patient holds two active
    appointments starting at the same moment, whatever the application code does. `blocked_from` and
    `blocked_until` are the visit with its type's buffers at booking time: the doctor's time it keeps from others.
    """

    __tablename__ = 'appointments'
    __table_args__ = (
        CheckConstraint('starts_at < ends_at', name='ck_appointment_order'),
        CheckConstraint('blocked_from <= starts_at AND ends_at <= blocked_until', name='ck_appointment_blocked'),
        Index(
            'uq_appointment_doctor_start_active',
            'doctor_id',
            'starts_at',
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE_PG,
        ),
        Index(
            'uq_appointment_patient_start_active',
            'patient_id',
            'starts_at',
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE_PG,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key='doctors.id', index=True)
    patient_id: int = Field(foreign_key='users.id', index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    type_id: int = Field(foreign_key='appointment_types.id', index=True)
    blocked_from: datetime = Field(sa_type=UTCDateTime)
    blocked_until: datetime = Field(sa_type=UTCDateTime)
    reason: str = Field(default='', max_length=500)
    status: AppointmentStatus = AppointmentStatus.booked
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    cancelled_by_id: int | None = Field(default=None, foreign_key='users.id')
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancel_reason: str = Field(default='', max_length=500)
    # a held time (status held): whose waitlist entry it was offered to, and until when it is kept for them (entries
    # are never deleted; no foreign key, as the entry of an earlier-time watch refers to its appointment in turn)
    waitlist_entry_id: int | None = Field(default=None, index=True)
    held_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
