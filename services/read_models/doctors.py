"""The doctors a patient can book: each one's card and the weekdays they work, for the booking page's choices."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from models import Doctor, Unavailability, User, WorkingHours

from ..clinic import Clinic
from ..slot_engine import local_day_bounds
from .free_time import closed_by
from .values import DoctorCard


@dataclass(frozen=True, slots=True)
class BookableDoctors:
    doctors: tuple[DoctorCard, ...]
    working_weekdays: Mapping[int, frozenset[int]] = field(default_factory=dict)  # doctor id -> 0 (Monday) ... 6
    closed_days: Mapping[int, Mapping[date, str]] = field(default_factory=dict)  # doctor id -> day -> closure's name

    def weekdays_of(self, doctor_id: int | None) -> frozenset[int]:
        return self.working_weekdays.get(doctor_id or 0, frozenset())

    def closed_for(self, doctor_id: int | None) -> Mapping[date, str]:
        """The bookable days on which a clinic closure takes all of the doctor's hours, with its name."""
        return self.closed_days.get(doctor_id or 0, {})


def active_doctors(session: Session) -> list[DoctorCard]:
    """The clinic's active doctors, by name."""
    rows = session.exec(
        select(Doctor, User)
        .join(User, col(User.id) == Doctor.user_id)
        .where(User.is_active == True)  # noqa: E712
        .order_by(col(User.full_name))
    ).all()
    return [DoctorCard.of(doctor, user) for doctor, user in rows]


def bookable_doctors(clinic: Clinic) -> BookableDoctors:
    """Return the clinic's active doctors by name, with the weekdays each has working hours on and the bookable days
    a clinic closure takes whole."""
    today, last = clinic.today(), clinic.last_bookable_day()
    with clinic.db.reading() as session:
        doctors = active_doctors(session)
        hours: dict[int, dict[int, list[tuple[time, time]]]] = {}
        for doctor_id, weekday, start, end in session.exec(
            select(
                WorkingHours.doctor_id, WorkingHours.weekday, col(WorkingHours.start_time), col(WorkingHours.end_time)
            )
        ).all():
            hours.setdefault(doctor_id, {}).setdefault(weekday, []).append((start, end))
        closures: dict[int, list[tuple[datetime, datetime, str]]] = {}
        for doctor_id, closes, opens, name in session.exec(
            select(
                Unavailability.doctor_id, Unavailability.starts_at, Unavailability.ends_at, Unavailability.note
            ).where(
                col(Unavailability.closure_id).is_not(None),
                col(Unavailability.ends_at) > clinic.now(),
                col(Unavailability.starts_at) < local_day_bounds(last, clinic.tz)[1],
            )
        ).all():
            closures.setdefault(doctor_id, []).append((closes, opens, name))
    closed: dict[int, dict[date, str]] = {}
    for doctor_id, spans in closures.items():
        first, final = max(today, min(s for s, _, _ in spans).astimezone(clinic.tz).date()), last
        for offset in range((final - first).days + 1):
            day = first + timedelta(days=offset)
            closure = closed_by(day, hours.get(doctor_id, {}).get(day.weekday(), []), spans, clinic.tz)
            if closure is not None:
                closed.setdefault(doctor_id, {})[day] = closure
    return BookableDoctors(
        doctors=tuple(doctors),
        working_weekdays={doctor_id: frozenset(days) for doctor_id, days in hours.items()},
        closed_days=closed,
    )
