"""What time passing does to the clinic's records: appointments that are over are marked completed."""

from sqlmodel import col, select, update

from models import Appointment, AppointmentStatus

from .audit import record
from .clinic import Clinic
from .live.events import THE_CLINIC, Change, ScheduleChanged
from .slot_engine import local_days


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
                actor_name=THE_CLINIC,
                patient_ids=frozenset(a.patient_id for a in mine),
            )
        )
    return len(finished)
