"""The waitlist: patients who found no suitable time join it for a doctor and a day (or days), optionally a window of
the day and a kind of visit; a patient with a booking can watch for an earlier time with the same doctor. Time that
frees up is offered to them in the order they joined (`offers.py`)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from models import (
    KEEPS_TIME,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Doctor,
    Role,
    User,
    WaitlistEntry,
    WaitStatus,
)

from .access import load_actor, require_front_desk, require_schedule_access
from .audit import record
from .booking import patient_booked_for, require_bookable_day, visit_type_for
from .clinic import Clinic
from .errors import InvalidInput, NotAllowed, NotFound
from .i18n import N_, SOURCE_LANGUAGE, day_in, translator
from .live.events import InboxChanged
from .read_models.free_time import slots_in_session
from .read_models.values import Person, VisitType
from .validation import LabelledInput

MAX_WAITING = 5  # open entries one patient may have, all doctors together
MAX_DAYS = 14  # the longest range of days one entry may wait for
OPEN = (WaitStatus.waiting, WaitStatus.offered)


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    """One entry as its patient, the doctor and the front desk see it."""

    id: int
    patient_id: int
    patient_name: str
    doctor_id: int
    doctor_name: str
    type_name: str
    first_day: date
    last_day: date
    earliest: time | None
    latest: time | None
    moves_appointment_id: int | None  # an earlier-time watch: the appointment it would move
    status: WaitStatus
    joined_at: datetime

    @property
    def describe(self) -> str:
        """'Monday 30 November 2026, 09:00-12:00' (the days, and the window if any), in English."""
        return self.describe_in(SOURCE_LANGUAGE)

    def describe_in(self, language: str) -> str:
        """`describe` in `language` (a page: its own, `current_language()`)."""
        _ = translator(language)
        days = day_in(language, self.first_day)
        if self.last_day != self.first_day:
            days = _('{first} to {last}', first=days, last=day_in(language, self.last_day))
        if self.earliest or self.latest:
            start = self.earliest.strftime('%H:%M') if self.earliest else _('start of day')
            end = self.latest.strftime('%H:%M') if self.latest else _('end of day')
            days = f'{days}, {start}-{end}'
        return days


def join_waitlist(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int,
    first_day: date,
    last_day: date | None = None,
    earliest: str = '',
    latest: str = '',
    type_id: int | None = None,
    patient_id: int | None = None,
) -> WaitingEntry:
    """Put a patient (the signed-in one, or whom the desk names) on a doctor's waitlist for some days, optionally a
    window of the day (`HH:MM`) and a kind of visit. Refused while a time that fits is free: book that instead."""
    last_day = last_day or first_day
    start, end = _window(earliest, latest)
    if last_day < first_day:
        raise InvalidInput(N_('The last day comes before the first.'), field='last_day')
    if (last_day - first_day).days >= MAX_DAYS:
        raise InvalidInput(N_('Wait for at most {days} days at once.'), field='last_day', days=MAX_DAYS)
    require_bookable_day(clinic, first_day)
    require_bookable_day(clinic, last_day)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        patient = patient_booked_for(session, actor, patient_id)
        kind = visit_type_for(session, actor, doctor_id=doctor_id, type_id=type_id)
        _require_room(session, clinic, patient.id)
        entry = WaitlistEntry(
            patient_id=patient.id,
            doctor_id=doctor_id,
            type_id=kind.id,
            first_day=first_day,
            last_day=last_day,
            earliest=start,
            latest=end,
            created_at=clinic.now(),
        )
        free = first_fit(session, clinic, entry, kind)
        if free is not None:
            label = free.astimezone(clinic.tz)
            raise InvalidInput(
                N_('{day} at {time} is free: book it instead of waiting.'),
                field='waitlist',
                day=label.date(),
                time=f'{label:%H:%M}',
            )
        session.add(entry)
        session.flush()
        record(
            session,
            clinic,
            actor=actor,
            action='waitlist.joined',
            doctor_id=doctor_id,
            after={'patient': patient.full_name, 'days': f'{first_day} to {last_day}', 'type': kind.name},
        )
        line = _line(session, entry)
    clinic.hub.publish(InboxChanged(user_id=patient.id))  # the patient's pages list their entries
    return line


def watch_for_earlier(clinic: Clinic, *, actor_id: int, appointment_id: int) -> WaitingEntry:
    """Wait for an earlier time with the same doctor and kind of visit than a booked appointment: if one frees up,
    the patient is offered to move there."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or (actor.role is Role.patient and appointment.patient_id != actor.id):
            raise NotFound(N_('There is no such appointment.'))
        if actor.role is Role.doctor:
            raise NotAllowed(N_('Only the patient or the front desk can ask for an earlier time.'))
        if appointment.status is not AppointmentStatus.booked or appointment.starts_at <= clinic.now():
            raise InvalidInput(N_('Only an upcoming booked appointment can wait for an earlier time.'))
        watching = session.exec(
            select(WaitlistEntry.id).where(
                WaitlistEntry.appointment_id == appointment_id, col(WaitlistEntry.status).in_(OPEN)
            )
        ).first()
        if watching is not None:
            raise InvalidInput(N_('This appointment already waits for an earlier time.'))
        _require_room(session, clinic, appointment.patient_id)
        day = appointment.starts_at.astimezone(clinic.tz).date()
        entry = WaitlistEntry(
            patient_id=appointment.patient_id,
            doctor_id=appointment.doctor_id,
            type_id=appointment.type_id,
            first_day=clinic.today(),
            last_day=max(day, clinic.today()),
            appointment_id=appointment_id,
            created_at=clinic.now(),
        )
        free = first_fit(session, clinic, entry, kind_of(session, entry))
        if free is not None:
            label = free.astimezone(clinic.tz)
            raise InvalidInput(
                N_('{day} at {time} is free: move your appointment there instead of waiting.'),
                day=label.date(),
                time=f'{label:%H:%M}',
            )
        session.add(entry)
        session.flush()
        line = _line(session, entry)
        record(
            session,
            clinic,
            actor=actor,
            action='waitlist.earlier',
            doctor_id=appointment.doctor_id,
            appointment_id=appointment_id,
            after={'patient': line.patient_name},
        )
    clinic.hub.publish(InboxChanged(user_id=entry.patient_id))
    return line


def waitlist_of_patient(clinic: Clinic, *, actor_id: int) -> tuple[WaitingEntry, ...]:
    """The signed-in patient's open entries, oldest first."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        rows = session.exec(_open(clinic).where(WaitlistEntry.patient_id == actor.id)).all()
        return tuple(_line(session, row) for row in rows)


def waitlist_of_doctor(clinic: Clinic, *, actor_id: int, doctor_id: int) -> tuple[WaitingEntry, ...]:
    """A doctor's open entries in the order they are served (for the doctor and the front desk)."""
    with clinic.db.reading() as session:
        require_schedule_access(session, load_actor(session, actor_id), doctor_id)
        rows = session.exec(_open(clinic).where(WaitlistEntry.doctor_id == doctor_id)).all()
        return tuple(_line(session, row) for row in rows)


def entry_of(session: Session, actor: Person, entry_id: int) -> WaitlistEntry:
    """An entry the actor may act on: a patient their own, the front desk any (NotFound otherwise)."""
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None or (actor.role is Role.patient and entry.patient_id != actor.id):
        raise NotFound(N_('This waitlist entry is gone; the list has been refreshed.'))
    if actor.role is Role.doctor:
        raise NotAllowed(N_('Only the patient or the front desk can change a waitlist entry.'))
    if actor.role is Role.admin:
        require_front_desk(actor)
    return entry


def first_fit(session: Session, clinic: Clinic, entry: WaitlistEntry, kind: VisitType) -> datetime | None:
    """The earliest free start that suits the entry (its days, window and kind; for an earlier-time watch, before
    its appointment), or None."""
    before = None
    if entry.appointment_id is not None:
        appointment = session.get(Appointment, entry.appointment_id)
        if appointment is None or appointment.status is not AppointmentStatus.booked:
            return None
        before = appointment.starts_at
    day = max(entry.first_day, clinic.today())
    while day <= min(entry.last_day, clinic.last_bookable_day()):
        for slot in slots_in_session(session, clinic, doctor_id=entry.doctor_id, day=day, kinds=[kind]).slots:
            local_start = slot.starts_at.astimezone(clinic.tz)
            local_end = slot.ends_at.astimezone(clinic.tz)
            if entry.earliest is not None and local_start.time() < entry.earliest:
                continue
            if entry.latest is not None and (local_end.date() > day or local_end.time() > entry.latest):
                continue
            if before is not None and slot.starts_at >= before:
                return None
            if not _patient_busy(session, entry.patient_id, slot.starts_at, slot.ends_at):
                return slot.starts_at
        day += timedelta(days=1)
    return None


def kind_of(session: Session, entry: WaitlistEntry) -> VisitType:
    row = session.get(AppointmentType, entry.type_id)
    assert row is not None
    return VisitType.of(row)


def line_of(session: Session, entry: WaitlistEntry) -> WaitingEntry:
    return _line(session, entry)


def _patient_busy(session: Session, patient_id: int, starts_at: datetime, ends_at: datetime) -> bool:
    return (
        session.exec(
            select(Appointment.id).where(
                Appointment.patient_id == patient_id,
                col(Appointment.status).in_(KEEPS_TIME),
                col(Appointment.starts_at) < ends_at,
                col(Appointment.ends_at) > starts_at,
            )
        ).first()
        is not None
    )


def _open(clinic: Clinic) -> SelectOfScalar[WaitlistEntry]:
    """Entries still waiting (their last day not past) or holding a time, in the order they are served."""
    return (
        select(WaitlistEntry).where(_still_open(clinic)).order_by(col(WaitlistEntry.created_at), col(WaitlistEntry.id))
    )


def _still_open(clinic: Clinic) -> ColumnElement[bool]:
    return or_(
        col(WaitlistEntry.status) == WaitStatus.offered,
        and_(col(WaitlistEntry.status) == WaitStatus.waiting, col(WaitlistEntry.last_day) >= clinic.today()),
    )


def _require_room(session: Session, clinic: Clinic, patient_id: int) -> None:
    waiting = session.exec(
        select(func.count())
        .select_from(WaitlistEntry)
        .where(WaitlistEntry.patient_id == patient_id, _still_open(clinic))
    ).one()
    if waiting >= MAX_WAITING:
        raise InvalidInput(
            N_('You are already waiting {count} times, the most the clinic allows. Leave one first.'), count=waiting
        )


def _window(earliest: str, latest: str) -> tuple[time | None, time | None]:
    start = _time(earliest, 'waitlist_from', N_('From'))
    end = _time(latest, 'waitlist_until', N_('Until'))
    if start is not None and end is not None and start >= end:
        raise InvalidInput(N_('"Until" must be later than "From".'), field='waitlist_until')
    return start, end


def _time(text: str, field: str, label: str) -> time | None:
    text = (text or '').strip()
    if not text:
        return None
    try:
        hours, minutes = text.split(':')
        if len(minutes) != 2:
            raise ValueError(text)
        return time(int(hours), int(minutes))
    except ValueError:
        raise LabelledInput(
            N_('{label}: type a time as HH:MM, for example 09:30.'), words={'label': label}, field=field
        ) from None


def _line(session: Session, entry: WaitlistEntry) -> WaitingEntry:
    assert entry.id is not None
    patient = session.exec(select(User.full_name).where(User.id == entry.patient_id)).one()
    doctor = session.exec(
        select(User.full_name).join(Doctor, col(Doctor.user_id) == User.id).where(Doctor.id == entry.doctor_id)
    ).one()
    type_name = session.exec(select(AppointmentType.name).where(AppointmentType.id == entry.type_id)).one()
    return WaitingEntry(
        id=entry.id,
        patient_id=entry.patient_id,
        patient_name=patient,
        doctor_id=entry.doctor_id,
        doctor_name=doctor,
        type_name=type_name,
        first_day=entry.first_day,
        last_day=entry.last_day,
        earliest=entry.earliest,
        latest=entry.latest,
        moves_appointment_id=entry.appointment_id,
        status=entry.status,
        joined_at=entry.created_at,
    )
