"""Lists of appointments, as each person may see them."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import Appointment, AppointmentStatus, Doctor, Role, User

from .access import load_actor
from .clinic import Clinic
from .errors import NotAllowed, NotFound
from .events import Change, ScheduleChanged
from .slot_engine import local_days
from .views import AppointmentInfo, Person


def appointments_for(clinic: Clinic, *, actor_id: int, include_past: bool = False) -> list[AppointmentInfo]:
    """Return the appointments a person may see: a patient's own, a doctor's own, every one for an admin."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        if actor.role is Role.patient:
            return list_appointments(clinic, session, patient_id=actor.id, include_past=include_past)
        if actor.role is Role.doctor:
            if actor.doctor_id is None:
                raise NotAllowed('This doctor account has no schedule yet.')
            return list_appointments(clinic, session, doctor_id=actor.doctor_id, include_past=include_past)
        return list_appointments(clinic, session, include_past=include_past)


def appointment_of(clinic: Clinic, *, actor_id: int, appointment_id: int) -> AppointmentInfo:
    """Return one of the patient's own upcoming booked appointments."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        appointment = session.get(Appointment, appointment_id)
        if (
            appointment is None
            or appointment.patient_id != actor.id
            or appointment.status is not AppointmentStatus.booked
            or appointment.starts_at <= clinic.now()
        ):
            raise NotFound('This appointment cannot be changed.')
        return describe(session, appointment)


def list_appointments(
    clinic: Clinic,
    session: Session,
    *,
    patient_id: int | None = None,
    doctor_id: int | None = None,
    include_past: bool = False,
    only_booked: bool = False,
    limit: int = 500,
) -> list[AppointmentInfo]:
    query = select(Appointment)
    if patient_id is not None:
        query = query.where(Appointment.patient_id == patient_id)
    if doctor_id is not None:
        query = query.where(Appointment.doctor_id == doctor_id)
    if not include_past:
        query = query.where(col(Appointment.ends_at) > clinic.now())
    if only_booked:
        query = query.where(Appointment.status == AppointmentStatus.booked)
    rows = session.exec(query.order_by(col(Appointment.starts_at)).limit(limit)).all()
    return describe_many(session, rows)


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
            )
        )
    return result


def appointment_changed(
    clinic: Clinic,
    info: AppointmentInfo,
    change: Change,
    actor: Person,
    origin: str | None,
    *,
    moved_from: tuple[datetime, datetime] | None = None,
    reminders: bool = True,
) -> ScheduleChanged:
    """The event for a change to one appointment: its day (and the day it moved from), its patient, and its id
    when its reminders must be planned again."""
    spans = [local_days(info.starts_at, info.ends_at, clinic.tz)]
    if moved_from is not None:
        spans.insert(0, local_days(*moved_from, clinic.tz))
    return ScheduleChanged(
        doctor_id=info.doctor_id,
        day_ranges=tuple(spans),
        change=change,
        actor_id=actor.id,
        actor_name=actor.full_name,
        origin=origin,
        patient_ids=frozenset({info.patient_id}),
        appointment_ids=frozenset({info.id}) if reminders else frozenset(),
    )
