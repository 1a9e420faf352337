"""Appointments as people see them: one, many, and the lists a page follows."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import Appointment, AppointmentStatus, AppointmentType, Doctor, Unavailability, User, WorkingHours

from ..clinic import Clinic
from ..i18n import N_
from ..slot_engine import local_day_bounds
from .values import AppointmentInfo

# Which appointment list a page follows: a patient's own, a doctor's own, or all of them (the front desk).
ListKey = tuple[Literal['patient', 'doctor', 'all'], int]

# The front desk's list shows at most this many; one more is fetched to know there are more (the CSV has them all).
FILTERED_LIMIT = 500
EXPORT_LIMIT = 100_000


@dataclass(frozen=True, slots=True)
class AppointmentFilter:
    """Which appointments the front desk's list shows: clinic-local days first..last (inclusive), and optionally
    one doctor, one status, and a patient whose name or email contains `patient` (any case)."""

    first_day: date
    last_day: date
    doctor_id: int | None = None
    status: AppointmentStatus | None = None
    patient: str = ''


# how a kept booking clashes with the schedule: `AppointmentInfo.clash` joins them with ' · ' (in English; a page
# translates each part)
OUTSIDE_HOURS = N_('Outside working hours')
DURING_UNAVAILABILITY = N_('During unavailable time')
CLASH_SEPARATOR = ' · '


def appointment_list(clinic: Clinic, key: ListKey) -> tuple[AppointmentInfo, ...]:
    """Return the upcoming appointments of one list."""
    kind, ident = key
    with clinic.db.reading() as session:
        if kind == 'patient':  # clashes are the clinic's to resolve: a patient's list does not show them
            return tuple(list_appointments(session, clinic, patient_id=ident))
        if kind == 'doctor':
            return tuple(list_appointments(session, clinic, doctor_id=ident, clashes=True))
        return tuple(list_appointments(session, clinic, clashes=True))


def filtered_list(clinic: Clinic, which: AppointmentFilter) -> tuple[AppointmentInfo, ...]:
    """Return the front desk's filtered list (one more than `FILTERED_LIMIT` at most, to tell there are more)."""
    with clinic.db.reading() as session:
        return tuple(filtered_appointments(session, clinic, which, limit=FILTERED_LIMIT + 1))


def filtered_appointments(
    session: Session, clinic: Clinic, which: AppointmentFilter, *, limit: int = EXPORT_LIMIT
) -> list[AppointmentInfo]:
    """Return the appointments starting on the filter's clinic-local days that match it, soonest first, with clashes."""
    starts, _ = local_day_bounds(which.first_day, clinic.tz)
    _, ends = local_day_bounds(which.last_day, clinic.tz)
    query = select(Appointment).where(
        col(Appointment.starts_at) >= starts,
        col(Appointment.starts_at) < ends,
        Appointment.status != AppointmentStatus.held,  # time held for the waitlist is an offer, not an appointment
    )
    if which.doctor_id is not None:
        query = query.where(Appointment.doctor_id == which.doctor_id)
    if which.status is not None:
        query = query.where(Appointment.status == which.status)
    if text := which.patient.strip():
        query = query.join(User, col(User.id) == Appointment.patient_id).where(
            col(User.full_name).icontains(text, autoescape=True) | col(User.email).icontains(text, autoescape=True)
        )
    rows = session.exec(query.order_by(col(Appointment.starts_at), col(Appointment.id)).limit(limit)).all()
    return mark_clashes(session, clinic.tz, describe_many(session, rows), now=clinic.now())


def patient_contacts(session: Session, patient_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Return each patient's (email, phone); '' where they have none."""
    ids = set(patient_ids)
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.email, User.phone).where(col(User.id).in_(ids))).all()
    return {user_id: (email or '', phone or '') for user_id, email, phone in rows if user_id is not None}


def list_appointments(
    session: Session,
    clinic: Clinic,
    *,
    patient_id: int | None = None,
    doctor_id: int | None = None,
    include_past: bool = False,
    only_booked: bool = False,
    clashes: bool = False,
    limit: int = 500,
) -> list[AppointmentInfo]:
    """Return appointments, soonest first; with `clashes`, booked ones that clash with the schedule say how."""
    query = select(Appointment).where(Appointment.status != AppointmentStatus.held)  # offers are not appointments
    if patient_id is not None:
        query = query.where(Appointment.patient_id == patient_id)
    if doctor_id is not None:
        query = query.where(Appointment.doctor_id == doctor_id)
    if not include_past:
        query = query.where(col(Appointment.ends_at) > clinic.now())
    if only_booked:
        query = query.where(Appointment.status == AppointmentStatus.booked)
    rows = session.exec(query.order_by(col(Appointment.starts_at)).limit(limit)).all()
    infos = describe_many(session, rows)
    return mark_clashes(session, clinic.tz, infos, now=clinic.now()) if clashes else infos


def mark_clashes(
    session: Session, tz: ZoneInfo, appointments: list[AppointmentInfo], *, now: datetime
) -> list[AppointmentInfo]:
    """Mark booked appointments not yet over that lie outside working hours or inside unavailable time.

    Two queries for all the doctors concerned (their hours, their periods), however many appointments.
    """
    open_ = [a for a in appointments if a.status is AppointmentStatus.booked and a.ends_at > now]
    if not open_:
        return appointments
    doctor_ids = {a.doctor_id for a in open_}
    hours: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for doctor_id, weekday, start, end in session.exec(
        select(
            col(WorkingHours.doctor_id),
            col(WorkingHours.weekday),
            col(WorkingHours.start_time),
            col(WorkingHours.end_time),
        ).where(col(WorkingHours.doctor_id).in_(doctor_ids))
    ).all():
        hours[doctor_id].append((weekday, start, end))
    periods: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for doctor_id, starts_at, ends_at in session.exec(
        select(col(Unavailability.doctor_id), col(Unavailability.starts_at), col(Unavailability.ends_at)).where(
            col(Unavailability.doctor_id).in_(doctor_ids),
            col(Unavailability.starts_at) < max(a.ends_at for a in open_),
            col(Unavailability.ends_at) > min(a.starts_at for a in open_),
        )
    ).all():
        periods[doctor_id].append((starts_at, ends_at))
    open_ids = {a.id for a in open_}
    marked = []
    for a in appointments:
        if a.id in open_ids:
            reasons = []
            if outside_hours(a.starts_at, a.ends_at, hours[a.doctor_id], tz):
                reasons.append(OUTSIDE_HOURS)
            if any(start < a.ends_at and end > a.starts_at for start, end in periods[a.doctor_id]):
                reasons.append(DURING_UNAVAILABILITY)
            a = replace(a, clash=CLASH_SEPARATOR.join(reasons))
        marked.append(a)
    return marked


def outside_hours(
    starts_at: datetime, ends_at: datetime, hours: Iterable[tuple[int, time, time]], tz: ZoneInfo
) -> bool:
    """Whether an appointment is not wholly inside the working hours (weekday, start, end) of its local day; touching
    ranges (09:00-12:00, 12:00-17:00) join, as they do for the slot engine."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if start.date() != end.date():
        return True
    joined: list[list[time]] = []
    for first, last in sorted((first, last) for weekday, first, last in hours if weekday == start.weekday()):
        if joined and first <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], last)
        else:
            joined.append([first, last])
    return not any(first <= start.time() and end.time() <= last for first, last in joined)


def describe(session: Session, appointment: Appointment) -> AppointmentInfo:
    return describe_many(session, [appointment])[0]


def describe_many(session: Session, appointments: Sequence[Appointment]) -> list[AppointmentInfo]:
    user_ids = {a.patient_id for a in appointments} | {a.cancelled_by_id for a in appointments if a.cancelled_by_id}
    doctor_ids = {a.doctor_id for a in appointments}
    names = (
        dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(user_ids))).all()) if user_ids else {}
    )
    doctor_user = aliased(User)
    doctor_names = (
        dict(
            session.exec(
                select(Doctor.id, doctor_user.full_name)
                .join(doctor_user, col(doctor_user.id) == Doctor.user_id)
                .where(col(Doctor.id).in_(doctor_ids))
            ).all()
        )
        if doctor_ids
        else {}
    )
    type_ids = {a.type_id for a in appointments}
    type_names = (
        dict(
            session.exec(
                select(AppointmentType.id, AppointmentType.name).where(col(AppointmentType.id).in_(type_ids))
            ).all()
        )
        if type_ids
        else {}
    )
    result = []
    for a in appointments:
        assert a.id is not None
        result.append(
            AppointmentInfo(
                id=a.id,
                doctor_id=a.doctor_id,
                doctor_name=doctor_names.get(a.doctor_id, ''),
                patient_id=a.patient_id,
                patient_name=names.get(a.patient_id, ''),
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                reason=a.reason,
                status=a.status,
                cancel_reason=a.cancel_reason,
                cancelled_by=names.get(a.cancelled_by_id, '') if a.cancelled_by_id else '',
                type_name=type_names.get(a.type_id, ''),
                type_id=a.type_id,
            )
        )
    return result
