"""A doctor's schedule as the doctor and the front desk see it: hours, unavailability, appointments."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models import Appointment, AppointmentStatus, Doctor, Unavailability, User, WorkingHours

from ..clinic import Clinic
from ..errors import NotFound
from ..i18n import N_
from .appointments import describe_many, list_appointments
from .free_time import offered_types
from .values import AppointmentInfo, DoctorCard, DoctorSchedule, Period, WorkingRange

RECENT = timedelta(days=7)  # how far back a doctor reviews appointments, to mark no-shows


def schedule_of(clinic: Clinic, *, doctor_id: int) -> DoctorSchedule:
    """Return a doctor's hours, current and future unavailability, upcoming appointments and the recent ones.

    An appointment is upcoming until it starts, then recent: never both.
    """
    now = clinic.now()
    with clinic.db.reading() as session:
        doctor = session.get(Doctor, doctor_id)
        if doctor is None:
            raise NotFound(N_('Unknown doctor.'), field='doctor')
        user = session.exec(select(User).where(User.id == doctor.user_id)).one()
        hours = session.exec(
            select(WorkingHours)
            .where(WorkingHours.doctor_id == doctor_id)
            .order_by(col(WorkingHours.weekday), col(WorkingHours.start_time))
        ).all()
        periods = session.exec(
            select(Unavailability)
            .where(Unavailability.doctor_id == doctor_id, col(Unavailability.ends_at) > now)
            .order_by(col(Unavailability.starts_at))
        ).all()
        return DoctorSchedule(
            doctor=DoctorCard.of(doctor, user),
            hours=tuple(WorkingRange(h.weekday, h.start_time, h.end_time) for h in hours),
            periods=tuple(to_period(session, p) for p in periods),
            appointments=tuple(
                a for a in list_appointments(session, clinic, doctor_id=doctor_id, clashes=True) if a.starts_at > now
            ),
            recent=tuple(_recent_appointments(session, doctor_id, now)),
            types=offered_types(session, doctor_id),
        )


def _recent_appointments(session: Session, doctor_id: int, now: datetime) -> list[AppointmentInfo]:
    rows = session.exec(
        select(Appointment)
        .where(
            Appointment.doctor_id == doctor_id,
            col(Appointment.status).not_in((AppointmentStatus.cancelled, AppointmentStatus.held)),
            col(Appointment.starts_at) <= now,
            col(Appointment.starts_at) > now - RECENT,
        )
        .order_by(col(Appointment.starts_at).desc())
    ).all()
    return describe_many(session, rows)


def doctors_with_appointments_starting(clinic: Clinic, *, after: datetime, until: datetime) -> set[int]:
    """Return the doctors with a booked appointment that started in (after, until]."""
    with clinic.db.reading() as session:
        return set(
            session.exec(
                select(Appointment.doctor_id)
                .distinct()
                .where(
                    Appointment.status == AppointmentStatus.booked,
                    col(Appointment.starts_at) > after,
                    col(Appointment.starts_at) <= until,
                )
            ).all()
        )


def to_period(session: Session, period: Unavailability) -> Period:
    assert period.id is not None
    changer_id = period.updated_by_id or period.created_by_id
    changed_by = session.exec(select(User.full_name).where(User.id == changer_id)).first() or ''
    return Period(
        id=period.id,
        doctor_id=period.doctor_id,
        starts_at=period.starts_at,
        ends_at=period.ends_at,
        reason=period.reason,
        note=period.note,
        changed_by=changed_by,
        changed_at=period.updated_at or period.created_at,
        closure=period.note if period.closure_id is not None else '',
    )
