from datetime import datetime

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

from .types import UTCDateTime

_OFFERED = text('retired_at IS NULL')


class AppointmentType(SQLModel, table=True):
    """A kind of visit a doctor offers ("New patient", 40 minutes), with the time kept free around it.

    Retiring a type keeps the appointments booked with it; a new one may then take its name.
    """

    __tablename__ = 'appointment_types'
    __table_args__ = (
        CheckConstraint('minutes BETWEEN 5 AND 240 AND minutes % 5 = 0', name='ck_type_minutes'),
        CheckConstraint('buffer_before BETWEEN 0 AND 120 AND buffer_before % 5 = 0', name='ck_type_buffer_before'),
        CheckConstraint('buffer_after BETWEEN 0 AND 120 AND buffer_after % 5 = 0', name='ck_type_buffer_after'),
        Index(
            'uq_type_doctor_name_offered',
            'doctor_id',
            'name',
            unique=True,
            sqlite_where=_OFFERED,
            postgresql_where=_OFFERED,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key='doctors.id', index=True)
    name: str = Field(max_length=80)
    minutes: int
    buffer_before: int = 0
    buffer_after: int = 0
    patients_may_book: bool = True
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
