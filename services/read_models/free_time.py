"""A doctor's free times on one day for each kind of visit, read from the database and computed by the slot engine."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import (
    KEEPS_TIME,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Doctor,
    Unavailability,
    User,
    WorkingHours,
)

from ..clinic import Clinic
from ..errors import NotFound
from ..i18n import N_
from ..slot_engine import free_slots, inside, local_day_bounds, merged_intervals
from .values import DaySlots, FreeSlot, TypeSlots, VisitType

NOT_WORKING = (  # by date.weekday(): a whole sentence each, so every language words it its own way
    N_('{name} does not work on Mondays.'),
    N_('{name} does not work on Tuesdays.'),
    N_('{name} does not work on Wednesdays.'),
    N_('{name} does not work on Thursdays.'),
    N_('{name} does not work on Fridays.'),
    N_('{name} does not work on Saturdays.'),
    N_('{name} does not work on Sundays.'),
)
CLOSED = N_('Clinic closed: {name}')  # a closure's name


def day_slots(clinic: Clinic, *, doctor_id: int, day: date) -> DaySlots:
    """Return the free times a patient may book with a doctor on a local day, for every kind of visit offered."""
    with clinic.db.reading() as session:
        return slots_in_session(session, clinic, doctor_id=doctor_id, day=day)


def offered_types(session: Session, doctor_id: int) -> tuple[VisitType, ...]:
    """The kinds of visit a doctor offers now, the default first."""
    rows = session.exec(
        select(AppointmentType)
        .where(AppointmentType.doctor_id == doctor_id, col(AppointmentType.retired_at).is_(None))
        .order_by(col(AppointmentType.id))
    ).all()
    return tuple(VisitType.of(row) for row in rows)


def slots_in_session(
    session: Session, clinic: Clinic, *, doctor_id: int, day: date, kinds: Sequence[VisitType] | None = None
) -> DaySlots:
    """The free times on a day of `kinds` (every kind the doctor offers, unless given), read in one go."""
    doctor = session.get(Doctor, doctor_id)
    if doctor is None:
        raise NotFound(N_('Unknown doctor.'), field='doctor')
    kinds = offered_types(session, doctor_id) if kinds is None else tuple(kinds)
    none = tuple(TypeSlots(kind, ()) for kind in kinds)
    if day < clinic.today():
        return _none_free(doctor_id, day, none, N_('This day has passed. Choose today or a later day.'))
    if day > clinic.last_bookable_day():
        ahead = N_('Bookings open {days} days ahead. Choose an earlier day.')
        return _none_free(doctor_id, day, none, ahead, days=str(clinic.settings.booking_horizon_days))
    hours = session.exec(
        select(col(WorkingHours.start_time), col(WorkingHours.end_time)).where(
            WorkingHours.doctor_id == doctor_id, WorkingHours.weekday == day.weekday()
        )
    ).all()
    if not hours:
        name = session.exec(select(User.full_name).where(User.id == doctor.user_id)).one()
        return _none_free(doctor_id, day, none, NOT_WORKING[day.weekday()], name=name)
    day_start, day_end = local_day_bounds(day, clinic.tz)
    periods = session.exec(
        select(Unavailability.starts_at, Unavailability.ends_at, Unavailability.closure_id, Unavailability.note).where(
            Unavailability.doctor_id == doctor_id,
            col(Unavailability.starts_at) < day_end,
            col(Unavailability.ends_at) > day_start,
        )
    ).all()
    working = [(start, end) for start, end in hours]
    closed = closed_by(
        day, working, [(s, e, note) for s, e, closure, note in periods if closure is not None], clinic.tz
    )
    if closed is not None:
        return _none_free(doctor_id, day, none, CLOSED, name=closed)
    booked = session.exec(  # each booking keeps its visit and the buffers it was booked with
        select(Appointment.blocked_from, Appointment.blocked_until, Appointment.status, Appointment.starts_at).where(
            Appointment.doctor_id == doctor_id,
            col(Appointment.status).in_(KEEPS_TIME),  # a time held for someone on the waitlist too
            col(Appointment.blocked_from) < day_end,
            col(Appointment.blocked_until) > day_start,
        )
    ).all()
    busy = [(start, end) for start, end, _, _ in periods] + [(start, end) for start, end, _, _ in booked]
    held = tuple(
        start.astimezone(clinic.tz).strftime('%H:%M')
        for _, _, status, start in sorted(booked, key=lambda row: row[3])
        if status is AppointmentStatus.held and start >= day_start
    )
    now = clinic.now()
    by_type = tuple(
        TypeSlots(
            kind,
            tuple(
                FreeSlot(
                    starts_at=start,
                    ends_at=start + timedelta(minutes=kind.minutes),
                    label=start.astimezone(clinic.tz).strftime('%H:%M'),
                )
                for start in free_slots(
                    day=day,
                    hours=working,
                    slot_minutes=doctor.slot_minutes,
                    visit_minutes=kind.minutes,
                    before=kind.before,
                    after=kind.after,
                    busy=busy,
                    now=now,
                    min_notice=clinic.min_notice,
                    tz=clinic.tz,
                )
            ),
        )
        for kind in kinds
    )
    return DaySlots(doctor_id, day, by_type, held=held)


def _none_free(doctor_id: int, day: date, none: tuple[TypeSlots, ...], message: str, **params: str) -> DaySlots:
    """A day without free times, and why: `message` (marked with `N_`) with its {placeholders} filled in English,
    and kept with their values for the pages to word in their own languages."""
    english = message.format(**params) if params else message
    return DaySlots(doctor_id, day, none, english, message_template=message, message_params=tuple(params.items()))


def closed_by(
    day: date, hours: Sequence[tuple[time, time]], closures: Sequence[tuple[datetime, datetime, str]], tz: ZoneInfo
) -> str | None:
    """The name of the clinic closure that takes all of a working day's hours, if one (or several together) does."""
    if not hours or not closures:
        return None
    starts, ends = merged_intervals((start, end) for start, end, _ in closures)
    for start, end in hours:
        begin = datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
        stop = datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
        if not inside(begin, stop, starts, ends):
            return None
    return min(closures)[2]


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
