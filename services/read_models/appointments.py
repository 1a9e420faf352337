"""Appointments as people see them: one, many, and the lists a page follows."""

from collections.abc import Sequence
from typing import Literal

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import Appointment, AppointmentStatus, Doctor, User

from ..clinic import Clinic
from .values import AppointmentInfo

# Which appointment list a page follows: a patient's own, a doctor's own, or all of them (the front desk).
ListKey = tuple[Literal['patient', 'doctor', 'all'], int]


def appointment_list(clinic: Clinic, key: ListKey) -> tuple[AppointmentInfo, ...]:
    """Return the upcoming appointments of one list."""
    kind, ident = key
    with clinic.db.reading() as session:
        if kind == 'patient':
            return tuple(list_appointments(session, clinic, patient_id=ident))
        if kind == 'doctor':
            return tuple(list_appointments(session, clinic, doctor_id=ident))
        return tuple(list_appointments(session, clinic))


def list_appointments(
    session: Session,
    clinic: Clinic,
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
