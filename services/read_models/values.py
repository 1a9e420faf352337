"""The read models: plain, immutable values that services hand to pages (never live database rows)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from models import AppointmentStatus, Doctor, Role, UnavailabilityReason, User


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    email: str
    full_name: str
    role: Role
    doctor_id: int | None = None


@dataclass(frozen=True, slots=True)
class DoctorCard:
    id: int
    user_id: int
    full_name: str
    specialty: str
    slot_minutes: int
    email: str = ''
    is_active: bool = True

    @classmethod
    def of(cls, doctor: Doctor, user: User) -> 'DoctorCard':
        assert doctor.id is not None
        return cls(
            id=doctor.id,
            user_id=doctor.user_id,
            full_name=user.full_name,
            specialty=doctor.specialty,
            slot_minutes=doctor.slot_minutes,
            email=user.email or '',
            is_active=user.is_active,
        )


@dataclass(frozen=True, slots=True)
class FreeSlot:
    starts_at: datetime
    ends_at: datetime
    label: str  # local start time, HH:MM


@dataclass(frozen=True, slots=True)
class DaySlots:
    doctor_id: int
    day: date
    slots: tuple[FreeSlot, ...]
    message: str = ''  # why there are none, when there are none

    def find(self, starts_at: datetime) -> FreeSlot | None:
        return next((slot for slot in self.slots if slot.starts_at == starts_at), None)


@dataclass(frozen=True, slots=True)
class Period:
    id: int
    doctor_id: int
    starts_at: datetime
    ends_at: datetime
    reason: UnavailabilityReason
    note: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class AppointmentInfo:
    id: int
    doctor_id: int
    doctor_name: str
    patient_id: int
    patient_name: str
    starts_at: datetime
    ends_at: datetime
    reason: str
    status: AppointmentStatus
    cancel_reason: str = ''
    cancelled_by: str = ''
    clash: str = ''  # for the clinic: why a kept booking clashes with the schedule ('Outside working hours'...)


@dataclass(frozen=True, slots=True)
class WorkingRange:
    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class DoctorSchedule:
    doctor: DoctorCard
    hours: tuple[WorkingRange, ...]
    periods: tuple[Period, ...]
    appointments: tuple[AppointmentInfo, ...] = field(default=())
    recent: tuple[AppointmentInfo, ...] = field(default=())  # started in the past week: to mark no-shows


@dataclass(frozen=True, slots=True)
class HoursSaved:
    schedule: DoctorSchedule
    cancelled: tuple[AppointmentInfo, ...] = ()  # booked appointments outside the new hours, cancelled on request


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    text: str
    created_at: datetime
    read: bool


@dataclass(frozen=True, slots=True)
class Inbox:
    unread: int
    messages: tuple[Message, ...]
