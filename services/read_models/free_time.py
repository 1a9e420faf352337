"""A doctor's free slots on one day, read from the database and computed by the slot engine."""

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models import Appointment, AppointmentStatus, Doctor, Unavailability, User, WorkingHours

from ..clinic import Clinic
from ..errors import NotFound
from ..local_time import WEEKDAY_NAMES
from ..slot_engine import free_slots, local_day_bounds
from .values import DaySlots, FreeSlot


def day_slots(clinic: Clinic, *, doctor_id: int, day: date) -> DaySlots:
    """Return the free slots a patient may book with a doctor on a local day."""
    with clinic.db.reading() as session:
        return slots_in_session(session, clinic, doctor_id=doctor_id, day=day)


def slots_in_session(session: Session, clinic: Clinic, *, doctor_id: int, day: date) -> DaySlots:
    doctor = session.get(Doctor, doctor_id)
    if doctor is None:
        raise NotFound('Unknown doctor.', field='doctor')
    if day < clinic.today():
        return DaySlots(doctor_id, day, (), 'This day has passed. Choose today or a later day.')
    if day > clinic.last_bookable_day():
        days = clinic.settings.booking_horizon_days
        return DaySlots(doctor_id, day, (), f'Bookings open {days} days ahead. Choose an earlier day.')
    hours = session.exec(
        select(col(WorkingHours.start_time), col(WorkingHours.end_time)).where(
            WorkingHours.doctor_id == doctor_id, WorkingHours.weekday == day.weekday()
        )
    ).all()
    if not hours:
        name = session.exec(select(User.full_name).where(User.id == doctor.user_id)).one()
        return DaySlots(doctor_id, day, (), f'{name} does not work on {WEEKDAY_NAMES[day.weekday()]}s.')
    day_start, day_end = local_day_bounds(day, clinic.tz)
    periods = session.exec(
        select(Unavailability.starts_at, Unavailability.ends_at).where(
            Unavailability.doctor_id == doctor_id,
            col(Unavailability.starts_at) < day_end,
            col(Unavailability.ends_at) > day_start,
        )
    ).all()
    booked = session.exec(
        select(Appointment.starts_at, Appointment.ends_at).where(
            Appointment.doctor_id == doctor_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) < day_end,
            col(Appointment.ends_at) > day_start,
        )
    ).all()
    starts = free_slots(
        day=day,
        hours=[(start, end) for start, end in hours],
        slot_minutes=doctor.slot_minutes,
        busy=[(start, end) for start, end in (*periods, *booked)],
        now=clinic.now(),
        min_notice=clinic.min_notice,
        tz=clinic.tz,
    )
    length = doctor.slot_minutes
    slots = tuple(
        FreeSlot(
            starts_at=start,
            ends_at=start + timedelta(minutes=length),
            label=start.astimezone(clinic.tz).strftime('%H:%M'),
        )
        for start in starts
    )
    return DaySlots(doctor_id, day, slots, '' if slots else 'No free times left on this day. Try another day.')


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
