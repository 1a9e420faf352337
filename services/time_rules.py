"""What time passing does to the clinic: when the next slot closes, and appointments that are over."""

from datetime import datetime, timedelta

from sqlmodel import col, select, update

from models import Appointment, AppointmentStatus, Doctor, Role, WorkingHours

from .access import load_actor
from .appointments import appointment_changed, describe
from .audit import record
from .clinic import Clinic
from .errors import InvalidInput, NotAllowed, NotFound
from .events import Change, ScheduleChanged
from .slot_engine import free_slots, local_days
from .views import AppointmentInfo


def next_slot_closing(clinic: Clinic) -> datetime | None:
    """Return when the next slot of any doctor stops being bookable today, or None if none is left today."""
    today, now = clinic.today(), clinic.now()
    with clinic.db.reading() as session:
        rows = session.exec(
            select(col(Doctor.id), col(Doctor.slot_minutes), col(WorkingHours.start_time), col(WorkingHours.end_time))
            .join(WorkingHours, col(WorkingHours.doctor_id) == Doctor.id)
            .where(WorkingHours.weekday == today.weekday())
        ).all()
    closings = []
    for _, slot_minutes, start, end in rows:
        starts = free_slots(
            day=today,
            hours=[(start, end)],
            slot_minutes=slot_minutes,
            busy=[],
            now=now,
            min_notice=clinic.min_notice,
            tz=clinic.tz,
        )
        if starts:
            closings.append(starts[0] - clinic.min_notice)
    return min(closings, default=None)


def complete_finished_appointments(clinic: Clinic) -> int:
    """Mark booked appointments that have ended as completed; return how many."""
    now = clinic.now()
    with clinic.db.writing() as session:
        finished = session.exec(
            select(Appointment).where(Appointment.status == AppointmentStatus.booked, col(Appointment.ends_at) <= now)
        ).all()
        for appointment in finished:
            record(
                session,
                clinic,
                actor=None,
                action='appointment.completed',
                doctor_id=appointment.doctor_id,
                appointment_id=appointment.id,
                before={'status': 'booked'},
                after={'status': 'completed'},
            )
        if finished:
            session.exec(
                update(Appointment)
                .where(col(Appointment.id).in_([a.id for a in finished]))
                .values(status=AppointmentStatus.completed)
            )
    for doctor_id in {a.doctor_id for a in finished}:
        mine = [a for a in finished if a.doctor_id == doctor_id]
        clinic.hub.publish(
            ScheduleChanged(
                doctor_id=doctor_id,
                day_ranges=tuple(local_days(a.starts_at, a.ends_at, clinic.tz) for a in mine),
                change=Change.completed,
                actor_id=None,
                actor_name='The clinic',
                patient_ids=frozenset(a.patient_id for a in mine),
            )
        )
    return len(finished)


def mark_no_show(clinic: Clinic, *, actor_id: int, appointment_id: int, origin: str | None = None) -> AppointmentInfo:
    """Record that the patient did not come (the doctor, or an admin, once the appointment has started)."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        appointment = session.get(Appointment, appointment_id)
        if appointment is None:
            raise NotFound('This appointment does not exist.')
        if not (actor.role is Role.admin or (actor.role is Role.doctor and actor.doctor_id == appointment.doctor_id)):
            raise NotAllowed('Only the doctor or the front desk can mark a no-show.')
        if appointment.starts_at > clinic.now():
            raise InvalidInput('A no-show can be marked once the appointment has started.')
        if appointment.status not in (AppointmentStatus.booked, AppointmentStatus.completed):
            raise InvalidInput('Only a booked or completed appointment can be marked as a no-show.')
        record(
            session,
            clinic,
            actor=actor,
            action='appointment.no_show',
            doctor_id=appointment.doctor_id,
            appointment_id=appointment.id,
            before={'status': appointment.status},
            after={'status': 'no_show'},
        )
        appointment.status = AppointmentStatus.no_show
        session.add(appointment)
        session.flush()
        info = describe(session, appointment)
    clinic.hub.publish(appointment_changed(clinic, info, Change.no_show, actor, origin, reminders=False))
    return info


def recent_window(clinic: Clinic) -> tuple[datetime, datetime]:
    """The stretch of time whose appointments a doctor reviews for no-shows: the past week up to now."""
    now = clinic.now()
    return now - timedelta(days=7), now
