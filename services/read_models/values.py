"""The read models: plain, immutable values that services hand to pages (never live database rows)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from models import AppointmentStatus, AppointmentType, Doctor, Role, UnavailabilityReason, User

from ..i18n import N_, SOURCE_LANGUAGE, translate

NO_FREE_TIMES = N_('No free times left on this day. Try another day.')


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    email: str
    full_name: str
    role: Role
    doctor_id: int | None = None
    language: str | None = None  # chosen by the person; None: their browser's, or the clinic's default


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
class VisitType:
    """A kind of visit a doctor offers: its length and the minutes kept free before and after it."""

    id: int
    doctor_id: int
    name: str
    minutes: int
    before: int = 0
    after: int = 0
    patients_may_book: bool = True

    @property
    def label(self) -> str:
        """'Consultation (30 min)', in English."""
        return self.label_in(SOURCE_LANGUAGE)

    def label_in(self, language: str) -> str:
        """`label` in `language` (a page: its own, `current_language()`); the name stays as the clinic wrote it."""
        return translate(language, N_('{name} ({minutes} min)'), name=self.name, minutes=self.minutes)

    @classmethod
    def of(cls, row: AppointmentType) -> 'VisitType':
        assert row.id is not None
        return cls(
            id=row.id,
            doctor_id=row.doctor_id,
            name=row.name,
            minutes=row.minutes,
            before=row.buffer_before,
            after=row.buffer_after,
            patients_may_book=row.patients_may_book,
        )


@dataclass(frozen=True, slots=True)
class TypeSlots:
    """The starts at which one kind of visit fits on a day."""

    kind: VisitType
    slots: tuple[FreeSlot, ...]


@dataclass(frozen=True, slots=True)
class DaySlots:
    """A doctor's free times on a day, for each kind of visit they offer (the first is the default)."""

    doctor_id: int
    day: date
    by_type: tuple[TypeSlots, ...]
    message: str = ''  # why there are none for any kind of visit, when that is so (in English: the API's words)
    held: tuple[str, ...] = ()  # starts (HH:MM) of times held for a patient from the waitlist: shown, not bookable
    # `message` as marked for the catalogs (`N_`), and the values of its {placeholders}: `message_in` words it in any
    # language (one value is shared by every page showing the day, whatever their languages)
    message_template: str = ''
    message_params: tuple[tuple[str, str], ...] = ()

    @property
    def slots(self) -> tuple[FreeSlot, ...]:
        """The default (first) kind of visit's free times."""
        return self.by_type[0].slots if self.by_type else ()

    def times(self, type_id: int | None) -> tuple[FreeSlot, ...]:
        """The free times of one kind of visit (none for a kind the doctor does not offer)."""
        if type_id is None:
            return self.slots
        return next((entry.slots for entry in self.by_type if entry.kind.id == type_id), ())

    def find(self, starts_at: datetime, type_id: int | None = None) -> FreeSlot | None:
        return next((slot for slot in self.times(type_id) if slot.starts_at == starts_at), None)

    def message_in(self, language: str) -> str:
        """`message` in `language`."""
        if not self.message_template:
            return self.message
        return translate(language, self.message_template, **dict(self.message_params))

    def why_empty(self, type_id: int | None, language: str = SOURCE_LANGUAGE) -> str:
        """Why a kind of visit has no free time on this day ('' while it has some), in `language` (a page: its own,
        `current_language()`)."""
        if self.times(type_id):
            return ''
        return self.message_in(language) or translate(language, NO_FREE_TIMES)


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
    closure: str = ''  # the clinic closure's name, when the period is the clinic's (only the desk changes it)


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
    type_name: str = ''  # the kind of visit
    type_id: int = 0


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
    types: tuple[VisitType, ...] = field(default=())  # the kinds of visit offered, the default first


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
    held: tuple[int, ...] = ()  # times held for the person from the waitlist (appointment ids), awaiting an answer
