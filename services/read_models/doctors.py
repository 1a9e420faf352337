"""The doctors a patient can book: each one's card and the weekdays they work, for the booking page's choices."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models import Doctor, User, WorkingHours

from ..clinic import Clinic
from .values import DoctorCard


@dataclass(frozen=True, slots=True)
class BookableDoctors:
    doctors: tuple[DoctorCard, ...]
    working_weekdays: Mapping[int, frozenset[int]] = field(default_factory=dict)  # doctor id -> 0 (Monday) ... 6

    def weekdays_of(self, doctor_id: int | None) -> frozenset[int]:
        return self.working_weekdays.get(doctor_id or 0, frozenset())


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
    """Return the clinic's active doctors by name, with the weekdays each has working hours on."""
    with clinic.db.reading() as session:
        doctors = active_doctors(session)
        weekdays: dict[int, set[int]] = {}
        for doctor_id, weekday in session.exec(select(WorkingHours.doctor_id, WorkingHours.weekday).distinct()).all():
            weekdays.setdefault(doctor_id, set()).add(weekday)
    return BookableDoctors(
        doctors=tuple(doctors),
        working_weekdays={doctor_id: frozenset(days) for doctor_id, days in weekdays.items()},
    )
