from datetime import time

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel


class Doctor(SQLModel, table=True):
    """A doctor's bookable profile; the person behind it is a `User` with the doctor role."""

    __tablename__ = 'doctors'
    __table_args__ = (CheckConstraint('slot_minutes BETWEEN 5 AND 480', name='ck_doctor_slot_minutes'),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='users.id', unique=True)
    specialty: str = Field(max_length=120)
    slot_minutes: int = 30


class WorkingHours(SQLModel, table=True):
    """One weekly working range, e.g. Monday 09:00-12:00, in the clinic's local time."""

    __tablename__ = 'working_hours'
    __table_args__ = (
        CheckConstraint('start_time < end_time', name='ck_working_hours_order'),
        CheckConstraint('weekday BETWEEN 0 AND 6', name='ck_working_hours_weekday'),
    )

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key='doctors.id', index=True)
    weekday: int  # Monday is 0, as in `date.weekday()`
    start_time: time
    end_time: time
