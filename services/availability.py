"""Doctors' availability: unavailability periods, and what to do with appointments in their way."""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from models import Appointment, AppointmentStatus, Unavailability, UnavailabilityReason

from .access import load_actor, require_schedule_access
from .audit import record
from .booking import cancel_in_transaction
from .cancel_reasons import DOCTOR_UNAVAILABLE
from .clinic import Clinic
from .errors import AppointmentsInTheWay, InvalidPeriod, NotAllowed, NotFound
from .i18n import N_, Span
from .live.events import Change, InboxChanged, ScheduleChanged
from .offers import offer_freed_span, release_holds_in
from .read_models.appointments import describe_many
from .read_models.schedules import to_period
from .read_models.values import AppointmentInfo, Period, Person
from .slot_engine import local_days
from .validation import clean_text

MAX_PERIOD = timedelta(days=366)


class PeriodOverlaps(InvalidPeriod):
    """The new times overlap a period already marked: the caller may offer to extend that one to cover both."""

    def __init__(self, message: str, existing: Period, **params: Any) -> None:
        super().__init__(message, field='start', **params)
        self.existing = existing


class InTheWay(str, Enum):
    """What to do with booked appointments inside a new unavailability period."""

    keep = 'keep'
    cancel = 'cancel'


def mark_unavailable(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: UnavailabilityReason = UnavailabilityReason.other,
    note: str = '',
    in_the_way: InTheWay | None = None,
    origin: str | None = None,
) -> Period:
    """Block time in a doctor's schedule; refuses with the appointments in the way unless told what to do."""
    note = clean_text(note, field='note', label=N_('Note'))
    check_period(clinic, starts_at, ends_at)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_schedule_access(session, actor, doctor_id)
        _refuse_overlap(session, clinic, doctor_id, starts_at, ends_at)
        cancelled = settle_appointments(session, clinic, actor, [doctor_id], starts_at, ends_at, in_the_way)
        period = Unavailability(
            doctor_id=doctor_id,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            note=note,
            created_by_id=actor.id,
            created_at=clinic.now(),
        )
        session.add(period)
        session.flush()
        result = to_period(session, period)
        record(
            session,
            clinic,
            actor=actor,
            action='period.added',
            doctor_id=doctor_id,
            period_id=result.id,
            after=_period_values(result),
        )
    _publish(clinic, actor, doctor_id, Change.period_added, origin, cancelled, (starts_at, ends_at))
    return result


def update_unavailability(
    clinic: Clinic,
    *,
    actor_id: int,
    period_id: int,
    starts_at: datetime,
    ends_at: datetime,
    reason: UnavailabilityReason = UnavailabilityReason.other,
    note: str = '',
    in_the_way: InTheWay | None = None,
    origin: str | None = None,
) -> Period:
    """Change an unavailability period's times, reason or note."""
    note = clean_text(note, field='note', label=N_('Note'))
    check_period(clinic, starts_at, ends_at)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        period = _get_period(session, period_id)
        require_schedule_access(session, actor, period.doctor_id)
        _refuse_overlap(session, clinic, period.doctor_id, starts_at, ends_at, besides=period_id)
        before = (period.starts_at, period.ends_at)
        old_values = _period_values(to_period(session, period))
        cancelled = settle_appointments(session, clinic, actor, [period.doctor_id], starts_at, ends_at, in_the_way)
        period.starts_at, period.ends_at, period.reason, period.note = starts_at, ends_at, reason, note
        period.updated_by_id, period.updated_at = actor.id, clinic.now()
        session.add(period)
        session.flush()
        offer_freed_span(session, clinic, doctor_id=period.doctor_id, starts_at=before[0], ends_at=before[1])
        result = to_period(session, period)
        record(
            session,
            clinic,
            actor=actor,
            action='period.changed',
            doctor_id=result.doctor_id,
            period_id=result.id,
            before=old_values,
            after=_period_values(result),
        )
    _publish(clinic, actor, result.doctor_id, Change.period_changed, origin, cancelled, before, (starts_at, ends_at))
    return result


def remove_unavailability(clinic: Clinic, *, actor_id: int, period_id: int, origin: str | None = None) -> Period:
    """Delete an unavailability period, giving its time back to patients."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        period = _get_period(session, period_id)
        require_schedule_access(session, actor, period.doctor_id)
        result = to_period(session, period)
        session.delete(period)
        session.flush()
        offer_freed_span(
            session, clinic, doctor_id=result.doctor_id, starts_at=result.starts_at, ends_at=result.ends_at
        )
        record(
            session,
            clinic,
            actor=actor,
            action='period.removed',
            doctor_id=result.doctor_id,
            period_id=result.id,
            before=_period_values(result),
        )
    _publish(clinic, actor, result.doctor_id, Change.period_removed, origin, (), (result.starts_at, result.ends_at))
    return result


def _period_values(period: Period) -> dict[str, object]:
    return {'starts_at': period.starts_at, 'ends_at': period.ends_at, 'reason': period.reason, 'note': period.note}


def check_period(clinic: Clinic, starts_at: datetime, ends_at: datetime) -> None:
    """Refuse times without a zone, in the wrong order, already over, or longer than a year."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidPeriod(N_('Times need a time zone.'), field='start')
    if ends_at <= starts_at:
        raise InvalidPeriod(N_('The end must be after the start.'), field='end')
    if ends_at <= clinic.now():
        raise InvalidPeriod(N_('This period is already over. Choose a time in the future.'), field='end')
    if ends_at - starts_at > MAX_PERIOD:
        raise InvalidPeriod(N_('A period can be at most one year long.'), field='end')


def _get_period(session: Session, period_id: int) -> Unavailability:
    period = session.get(Unavailability, period_id)
    if period is None:
        raise NotFound(N_('This period no longer exists; it may have been removed in another window.'))
    if period.closure_id is not None:
        raise NotAllowed(
            N_('This is the clinic closure "{name}": the front desk changes it on the admin page.'), name=period.note
        )
    return period


def _refuse_overlap(
    session: Session,
    clinic: Clinic,
    doctor_id: int,
    starts_at: datetime,
    ends_at: datetime,
    *,
    besides: int | None = None,
) -> None:
    """Refuse times already marked for this doctor, or overlapping a marked period (touching ends are fine)."""
    query = select(Unavailability).where(  # a clinic closure is not the doctor's to extend: blocks may overlap it
        Unavailability.doctor_id == doctor_id,
        col(Unavailability.closure_id).is_(None),
        col(Unavailability.starts_at) < ends_at,
        col(Unavailability.ends_at) > starts_at,
    )
    if besides is not None:
        query = query.where(col(Unavailability.id) != besides)
    overlapping = session.exec(query.order_by(col(Unavailability.starts_at))).all()
    for period in overlapping:
        if period.starts_at <= starts_at and ends_at <= period.ends_at:
            span = Span(period.starts_at, period.ends_at, clinic.tz)
            raise InvalidPeriod(N_('This time is already marked unavailable ({span}).'), span=span)  # under the form
    if overlapping:
        existing = to_period(session, overlapping[0])
        span = Span(existing.starts_at, existing.ends_at, clinic.tz)
        raise PeriodOverlaps(N_('This overlaps the unavailable period {span}.'), existing, span=span)


def settle_appointments(
    session: Session,
    clinic: Clinic,
    actor: Person,
    doctor_ids: Sequence[int],
    starts_at: datetime,
    ends_at: datetime,
    in_the_way: InTheWay | None,
    reason: str = DOCTOR_UNAVAILABLE,
) -> tuple[AppointmentInfo, ...]:
    """Apply the caller's choice to the doctors' booked appointments inside the time; return those cancelled (with
    `reason`, which tells the patient the doctor is away, never why: that is private). Times held there for the
    waitlist are let go, their patients waiting on."""
    release_holds_in(session, clinic, doctor_ids=doctor_ids, starts_at=starts_at, ends_at=ends_at)
    appointments = session.exec(
        select(Appointment)
        .where(
            col(Appointment.doctor_id).in_(doctor_ids),
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) < ends_at,
            col(Appointment.ends_at) > max(starts_at, clinic.now()),
        )
        .order_by(col(Appointment.starts_at))
    ).all()
    if not appointments or in_the_way is InTheWay.keep:
        return ()
    if in_the_way is None:
        raise AppointmentsInTheWay(describe_many(session, appointments))
    for appointment in appointments:
        cancel_in_transaction(session, clinic, appointment, actor, reason, tell_patient=True)
    return tuple(describe_many(session, appointments))


def _publish(
    clinic: Clinic,
    actor: Person,
    doctor_id: int,
    change: Change,
    origin: str | None,
    cancelled: tuple[AppointmentInfo, ...],
    *spans: tuple[datetime, datetime],
) -> None:
    """Tell every open page after the commit; the patients whose appointments went are told live and by e-mail."""
    patients = frozenset(info.patient_id for info in cancelled)
    clinic.hub.publish(
        ScheduleChanged(
            doctor_id=doctor_id,
            day_ranges=tuple(local_days(start, end, clinic.tz) for start, end in spans),
            change=change,
            actor_id=actor.id,
            actor_name=actor.full_name,
            origin=origin,
            patient_ids=patients,
            appointment_ids=frozenset(info.id for info in cancelled),
            spans=spans,
        )
    )
    for patient in patients:
        clinic.hub.publish(InboxChanged(user_id=patient))


_REASON_WORDS = {  # checked in this order: 'sick leave' is sickness, not a holiday
    UnavailabilityReason.sick: ('sick', 'ill', 'unwell'),
    UnavailabilityReason.conference: ('conference', 'congress', 'training', 'course', 'seminar'),
    UnavailabilityReason.vacation: ('vacation', 'holiday', 'leave', 'annual'),
    UnavailabilityReason.personal: ('personal', 'private', 'family'),
}


def classify_reason(text: str) -> UnavailabilityReason:
    """Guess the reason category from what the doctor typed ('Conference in Lyon' is a conference)."""
    words = re.findall(r'[a-z]+', text.lower())
    for reason, stems in _REASON_WORDS.items():
        if any(word.startswith(stem) for word in words for stem in stems):
            return reason
    return UnavailabilityReason.other
