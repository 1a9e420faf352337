"""A doctor's weekly working hours and the schedule view shared by doctors and admins."""

import itertools
from collections.abc import Mapping, Sequence
from datetime import time, timedelta

from sqlmodel import Session, col, delete, select

from models import Appointment, AppointmentStatus, WorkingHours

from .access import load_actor, require_own_schedule, require_schedule_access
from .accounts import ALLOWED_SLOT_MINUTES
from .audit import record
from .availability import InTheWay
from .booking import cancel_in_transaction
from .cancel_reasons import DOCTOR_UNAVAILABLE
from .clinic import Clinic
from .errors import AppointmentsInTheWay, InvalidInput
from .i18n import N_
from .live.events import Change, InboxChanged, ScheduleChanged
from .local_time import WEEKDAY_NAMES
from .offers import offer_in_session, release_holds_in
from .read_models.appointments import describe_many, outside_hours
from .read_models.doctors import active_doctors
from .read_models.schedules import schedule_of
from .read_models.values import AppointmentInfo, DoctorCard, DoctorSchedule, HoursSaved, Person, WorkingRange
from .validation import LabelledInput
from .visit_types import follow_slot_length


def list_doctors(clinic: Clinic) -> list[DoctorCard]:
    """Return the clinic's active doctors, by name."""
    with clinic.db.reading() as session:
        return active_doctors(session)


def doctor_schedule(clinic: Clinic, *, actor_id: int, doctor_id: int) -> DoctorSchedule:
    """Return a doctor's hours, unavailability and appointments, to the doctor themself or an admin."""
    with clinic.db.reading() as session:
        require_schedule_access(session, load_actor(session, actor_id), doctor_id)
    return schedule_of(clinic, doctor_id=doctor_id)


def own_doctor_id(clinic: Clinic, *, actor_id: int) -> int:
    """Return the signed-in doctor's own doctor id."""
    with clinic.db.reading() as session:
        return require_own_schedule(load_actor(session, actor_id))


def set_working_hours(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int,
    hours: Mapping[int, Sequence[tuple[time, time]]],
    slot_minutes: int,
    in_the_way: InTheWay | None = None,
    origin: str | None = None,
) -> HoursSaved:
    """Replace a doctor's weekly hours and slot length; refuses with the bookings left outside unless told what to do.

    Like blocking time: booked appointments not yet over that the new hours no longer cover are kept, or cancelled
    with their patients told (live, in their inbox, and by e-mail after the commit). A doctor who offers only the
    one visit as long as their slot keeps it that way: it takes the new length.
    """
    if slot_minutes not in ALLOWED_SLOT_MINUTES:
        raise InvalidInput(N_('Choose a slot length from the list.'), field='slot_minutes')
    for weekday, ranges in hours.items():
        _check_ranges(weekday, ranges)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        doctor = require_schedule_access(session, actor, doctor_id)
        cancelled = _settle_appointments(session, clinic, actor, doctor_id, hours, in_the_way)
        old_hours = session.exec(select(WorkingHours).where(WorkingHours.doctor_id == doctor_id)).all()
        record(
            session,
            clinic,
            actor=actor,
            action='hours.changed',
            doctor_id=doctor_id,
            before={
                'slot_minutes': doctor.slot_minutes,
                'hours': [f'{h.weekday}:{h.start_time:%H:%M}-{h.end_time:%H:%M}' for h in old_hours],
            },
            after={
                'slot_minutes': slot_minutes,
                'hours': [f'{day}:{a:%H:%M}-{b:%H:%M}' for day, ranges in sorted(hours.items()) for a, b in ranges],
            },
        )
        session.exec(delete(WorkingHours).where(col(WorkingHours.doctor_id) == doctor_id))
        for weekday, ranges in hours.items():
            for start, end in ranges:
                session.add(WorkingHours(doctor_id=doctor_id, weekday=weekday, start_time=start, end_time=end))
        follow_slot_length(session, doctor_id=doctor_id, old=doctor.slot_minutes, new=slot_minutes)
        doctor.slot_minutes = slot_minutes
        session.add(doctor)
        session.flush()
        offer_in_session(  # longer hours: the waitlist first
            session, clinic, doctor_id=doctor_id, first_day=clinic.today(), last_day=clinic.last_bookable_day()
        )
    today = clinic.today()
    patients = frozenset(a.patient_id for a in cancelled)
    clinic.hub.publish(
        ScheduleChanged(
            doctor_id=doctor_id,
            day_ranges=((today, clinic.last_bookable_day() + timedelta(days=1)),),
            change=Change.hours_changed,
            actor_id=actor.id,
            actor_name=actor.full_name,
            origin=origin,
            patient_ids=patients,
            appointment_ids=frozenset(a.id for a in cancelled),
        )
    )
    for patient in patients:
        clinic.hub.publish(InboxChanged(user_id=patient))
    return HoursSaved(schedule=schedule_of(clinic, doctor_id=doctor_id), cancelled=cancelled)


def _settle_appointments(
    session: Session,
    clinic: Clinic,
    actor: Person,
    doctor_id: int,
    hours: Mapping[int, Sequence[tuple[time, time]]],
    in_the_way: InTheWay | None,
) -> tuple[AppointmentInfo, ...]:
    """Apply the caller's choice to booked appointments the new hours leave out (and the old ones held); return those
    cancelled."""
    ranges = [(weekday, start, end) for weekday, day_ranges in hours.items() for start, end in day_ranges]
    held = session.exec(
        select(Appointment).where(
            Appointment.doctor_id == doctor_id,
            Appointment.status == AppointmentStatus.held,
            col(Appointment.ends_at) > clinic.now(),
        )
    ).all()
    for hold in held:  # a time held for the waitlist outside the new hours is let go (its patient waits on)
        if outside_hours(hold.blocked_from, hold.blocked_until, ranges, clinic.tz):
            release_holds_in(
                session, clinic, doctor_ids=[doctor_id], starts_at=hold.blocked_from, ends_at=hold.blocked_until
            )
    booked = session.exec(
        select(Appointment)
        .where(
            Appointment.doctor_id == doctor_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.ends_at) > clinic.now(),
        )
        .order_by(col(Appointment.starts_at))
    ).all()
    saved = session.exec(select(WorkingHours).where(WorkingHours.doctor_id == doctor_id)).all()
    old_ranges = [(h.weekday, h.start_time, h.end_time) for h in saved]
    outside = [  # only those this change leaves out: ones kept outside the hours before are not asked about again
        a
        for a in booked
        if outside_hours(a.starts_at, a.ends_at, ranges, clinic.tz)
        and not outside_hours(a.starts_at, a.ends_at, old_ranges, clinic.tz)
    ]
    if not outside or in_the_way is InTheWay.keep:
        return ()
    if in_the_way is None:
        raise AppointmentsInTheWay(describe_many(session, outside))
    for appointment in outside:
        cancel_in_transaction(session, clinic, appointment, actor, DOCTOR_UNAVAILABLE, tell_patient=True)
    return tuple(describe_many(session, outside))


def _check_ranges(weekday: int, ranges: Sequence[tuple[time, time]]) -> None:
    if weekday not in range(7):
        raise InvalidInput(N_('Unknown weekday.'), field='hours')
    day = {'day': WEEKDAY_NAMES[weekday]}  # read in the sentence's language (the hours page marks the weekdays)
    ordered = sorted(ranges)
    for start, end in ordered:
        if end <= start:
            raise LabelledInput(N_('{day}: each range must end after it starts.'), words=day, field=f'hours-{weekday}')
    for (_, first_end), (second_start, _) in itertools.pairwise(ordered):
        if second_start < first_end:
            raise LabelledInput(N_('{day}: the ranges overlap.'), words=day, field=f'hours-{weekday}')


def parse_ranges(text: str | None, *, weekday: int) -> list[tuple[time, time]]:
    """Read '09:00-12:00, 13:00-17:00' (empty for a day off) into ranges, refusing anything unclear."""
    ranges: list[tuple[time, time]] = []
    for part in (text or '').replace(';', ',').split(','):
        part = part.strip().replace('–', '-')
        if not part:
            continue
        try:
            start_text, end_text = (piece.strip() for piece in part.split('-'))
            start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
        except ValueError:
            raise LabelledInput(
                N_('{day}: write ranges like 09:00-12:00, 13:00-17:00.'),
                words={'day': WEEKDAY_NAMES[weekday]},
                field=f'hours-{weekday}',
            ) from None
        ranges.append((start, end))
    _check_ranges(weekday, ranges)
    return sorted(ranges)


def format_ranges(hours: Sequence[WorkingRange], weekday: int) -> str:
    return ', '.join(f'{h.start:%H:%M}-{h.end:%H:%M}' for h in hours if h.weekday == weekday)
