"""Booking and cancelling appointments."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import KEEPS_TIME, Appointment, AppointmentStatus, AppointmentType, Doctor, Role, User

from .access import (
    load_actor,
    require_confirmed_email,
    require_may_book_for,
    require_may_cancel,
    require_may_move,
    require_patient,
    require_room_to_hold,
)
from .appointments import appointment_changed
from .audit import record
from .cancel_reasons import STAFF_CANCEL_REASONS
from .clinic import Clinic
from .confirmations import queue_confirmation
from .errors import ClinicError, InvalidInput, NotFound, SlotTaken
from .i18n import N_, Phrase
from .live.events import Change, InboxChanged
from .notifications import tell_by_desk, tell_cancelled
from .read_models.appointments import describe
from .read_models.free_time import CLOSED, NOT_WORKING, offered_types, slots_in_session
from .read_models.values import AppointmentInfo, FreeSlot, Person, VisitType
from .slot_engine import local_day_bounds
from .validation import clean_text


class AlreadyBookedThatDay(ClinicError):
    """The patient already has a booked appointment with this doctor on this day: ask before booking a second."""

    def __init__(self, existing: AppointmentInfo, tz: ZoneInfo) -> None:
        local = existing.starts_at.astimezone(tz)
        super().__init__(
            N_('You already have an appointment with {doctor} on {day} at {time}. Book a second one that day?'),
            field='slot',
            doctor=existing.doctor_name,
            day=local.date(),
            time=f'{local:%H:%M}',
        )
        self.existing = existing


def book(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int,
    starts_at: datetime,
    reason: str = '',
    second_that_day: bool = False,
    origin: str | None = None,
    patient_id: int | None = None,
    type_id: int | None = None,
    also: Callable[[Session, AppointmentInfo], None] | None = None,
) -> AppointmentInfo:
    """Book a free time for the signed-in patient, or (the front desk) for `patient_id`, for a kind of visit (the
    doctor's first one the booker may book, unless named); the time is re-checked inside the transaction. `also`
    runs inside that transaction once the booking is written (the API keeps its answer to the request there).

    A second appointment with the same doctor on the same day is booked only with `second_that_day` (the patient
    or the desk was asked); without it, `AlreadyBookedThatDay` names the first. A patient the desk booked for is
    told in their inbox and, with an address and a mail host, by e-mail.
    """
    reason = clean_text(reason, field='reason', label=N_('Reason'))
    label = starts_at.astimezone(clinic.tz).strftime('%H:%M')
    try:
        with clinic.db.writing() as session:
            actor = load_actor(session, actor_id)
            patient = patient_booked_for(session, actor, patient_id)
            kind = visit_type_for(session, actor, doctor_id=doctor_id, type_id=type_id)
            info = _book_in_session(
                session,
                clinic,
                actor,
                patient.id,
                doctor_id=doctor_id,
                kind=kind,
                starts_at=starts_at,
                reason=reason,
                second_that_day=second_that_day,
            )
            queue_confirmation(session, clinic, info, 'booked', patients_words=reason if patient.id == actor.id else '')
            if also is not None:
                also(session, info)
    except IntegrityError as error:  # the database's own guarantee, for the race the re-check cannot see
        raise _taken(error, label) from error
    _publish_booked(clinic, info, actor, origin)
    return info


def book_walk_in(
    clinic: Clinic,
    *,
    actor_id: int,
    patient_id: int,
    doctor_id: int,
    second_that_day: bool = False,
    origin: str | None = None,
) -> AppointmentInfo:
    """Book a patient at the desk into the doctor's next free time today (the first one still bookable), or say
    plainly that nothing is free today. Found and claimed in one write transaction, like any booking."""
    try:
        with clinic.db.writing() as session:
            actor = load_actor(session, actor_id)
            patient = require_may_book_for(session, actor, patient_id)
            kind = visit_type_for(session, actor, doctor_id=doctor_id, type_id=None)
            slot = _first_free_today(session, clinic, patient.id, doctor_id=doctor_id, kind=kind)
            info = _book_in_session(
                session,
                clinic,
                actor,
                patient.id,
                doctor_id=doctor_id,
                kind=kind,
                starts_at=slot.starts_at,
                reason='Walk-in',
                second_that_day=second_that_day,
            )
            queue_confirmation(session, clinic, info, 'booked')
    except IntegrityError as error:
        raise _taken(error, None) from error
    _publish_booked(clinic, info, actor, origin)
    return info


class NothingFreeToday(ClinicError):
    """The doctor has no bookable time left today."""


def _first_free_today(
    session: Session, clinic: Clinic, patient_id: int, *, doctor_id: int, kind: VisitType
) -> FreeSlot:
    """The doctor's first free time today that does not overlap one of the patient's own appointments."""
    today = slots_in_session(session, clinic, doctor_id=doctor_id, day=clinic.today(), kinds=[kind])
    starts, ends = local_day_bounds(clinic.today(), clinic.tz)
    busy = session.exec(
        select(Appointment.starts_at, Appointment.ends_at).where(
            Appointment.patient_id == patient_id,
            col(Appointment.status).in_(KEEPS_TIME),
            col(Appointment.starts_at) < ends,
            col(Appointment.ends_at) > starts,
        )
    ).all()
    for slot in today.slots:
        if not any(start < slot.ends_at and end > slot.starts_at for start, end in busy):
            return slot
    name = session.exec(
        select(User.full_name).join(Doctor, col(Doctor.user_id) == User.id).where(Doctor.id == doctor_id)
    ).one()
    if today.message_template in (*NOT_WORKING, CLOSED):  # else: the day is full or over, which goes without saying
        why = Phrase(today.message_template, today.message_params)
        raise NothingFreeToday(N_('{name} has no free time left today. {why}'), field='doctor', name=name, why=why)
    raise NothingFreeToday(N_('{name} has no free time left today.'), field='doctor', name=name)


def _book_in_session(
    session: Session,
    clinic: Clinic,
    actor: Person,
    patient_id: int,
    *,
    doctor_id: int,
    kind: VisitType,
    starts_at: datetime,
    reason: str,
    second_that_day: bool,
) -> AppointmentInfo:
    """Claim the time and book it for the patient inside the caller's transaction: audit, and tell a patient
    someone else booked for."""
    slot = claim_time(session, clinic, patient_id, doctor_id=doctor_id, kind=kind, starts_at=starts_at, adds_one=True)
    if not second_that_day:
        _refuse_unasked_second(session, clinic, patient_id, doctor_id=doctor_id, slot=slot)
    appointment = Appointment(
        doctor_id=doctor_id,
        patient_id=patient_id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        type_id=kind.id,
        blocked_from=slot.starts_at - timedelta(minutes=kind.before),
        blocked_until=slot.ends_at + timedelta(minutes=kind.after),
        reason=reason,
        created_at=clinic.now(),
    )
    session.add(appointment)
    session.flush()
    info = describe(session, appointment)
    record(
        session,
        clinic,
        actor=actor,
        action='appointment.booked',
        doctor_id=doctor_id,
        appointment_id=info.id,
        after={
            'starts_at': info.starts_at,
            'ends_at': info.ends_at,
            'patient': info.patient_name,
            'reason': reason,
            'type': kind.name,
        },
    )
    if patient_id != actor.id:
        tell_by_desk(session, clinic, appointment, by=actor.full_name)
    return info


def _publish_booked(clinic: Clinic, info: AppointmentInfo, actor: Person, origin: str | None) -> None:
    """After the commit: every browser showing the day, the patient's list, and (booked by the desk) their inbox and
    mail."""
    clinic.hub.publish(appointment_changed(clinic, info, Change.booked, actor, origin))
    if info.patient_id != actor.id:
        clinic.hub.publish(InboxChanged(user_id=info.patient_id))


def reschedule(
    clinic: Clinic,
    *,
    actor_id: int,
    appointment_id: int,
    starts_at: datetime,
    origin: str | None = None,
) -> AppointmentInfo:
    """Move a patient's booked appointment to another free time of the same doctor, in one transaction: the patient
    their own, the front desk anyone's (and the patient is told, as for a desk booking). It keeps its kind of visit,
    with that kind's length and buffers as they are now."""
    label = starts_at.astimezone(clinic.tz).strftime('%H:%M')
    try:
        with clinic.db.writing() as session:
            actor = load_actor(session, actor_id)
            appointment = require_may_move(actor, session.get(Appointment, appointment_id))
            if appointment.status is not AppointmentStatus.booked or appointment.starts_at <= clinic.now():
                raise InvalidInput(N_('Only an upcoming booked appointment can be moved.'))
            info, before = move_in_session(session, clinic, actor, appointment, starts_at)
            _offer_freed(session, clinic, info.doctor_id, *before)
            by_desk = info.patient_id != actor.id
            if by_desk:
                tell_by_desk(session, clinic, appointment, by=actor.full_name, moved=True)
            queue_confirmation(session, clinic, info, 'moved', patients_words='' if by_desk else info.reason)
    except IntegrityError as error:
        raise _taken(error, label) from error
    clinic.hub.publish(appointment_changed(clinic, info, Change.moved, actor, origin, moved_from=before))
    if by_desk:
        clinic.hub.publish(InboxChanged(user_id=info.patient_id))
    return info


def move_in_session(
    session: Session, clinic: Clinic, actor: Person, appointment: Appointment, starts_at: datetime
) -> tuple[AppointmentInfo, tuple[datetime, datetime]]:
    """Move a booked appointment to `starts_at` inside the caller's transaction (its kind's length and buffers as
    they are now), with its audit record; return it and its old (start, end)."""
    before = (appointment.starts_at, appointment.ends_at)
    appointment.status = AppointmentStatus.cancelled  # frees its own time for the check below
    session.flush()
    type_row = session.get(AppointmentType, appointment.type_id)
    assert type_row is not None
    kind = VisitType.of(type_row)
    slot = claim_time(
        session,
        clinic,
        appointment.patient_id,
        doctor_id=appointment.doctor_id,
        kind=kind,
        starts_at=starts_at,
        adds_one=False,
    )
    appointment.starts_at, appointment.ends_at = slot.starts_at, slot.ends_at
    appointment.blocked_from = slot.starts_at - timedelta(minutes=kind.before)
    appointment.blocked_until = slot.ends_at + timedelta(minutes=kind.after)
    appointment.status = AppointmentStatus.booked
    session.add(appointment)
    session.flush()
    info = describe(session, appointment)
    record(
        session,
        clinic,
        actor=actor,
        action='appointment.moved',
        doctor_id=info.doctor_id,
        appointment_id=info.id,
        before={'starts_at': before[0], 'ends_at': before[1]},
        after={'starts_at': info.starts_at, 'ends_at': info.ends_at},
    )
    return info, before


def cancel(
    clinic: Clinic,
    *,
    actor_id: int,
    appointment_id: int,
    reason: str = '',
    origin: str | None = None,
) -> AppointmentInfo:
    """Cancel a booked appointment: patients their own, doctors theirs, admins any (with a reason from the list)."""
    reason = clean_text(reason, field='cancel_reason', label=N_('Reason'))
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        appointment = require_may_cancel(actor, session.get(Appointment, appointment_id))
        someone_else = actor.id != appointment.patient_id
        if someone_else and reason not in STAFF_CANCEL_REASONS:  # the patient reads it as it is
            raise InvalidInput(N_('Choose the reason the patient will see from the list.'), field='cancel_reason')
        if appointment.status is not AppointmentStatus.booked:
            raise InvalidInput(N_('This appointment is not booked any more.'))
        if appointment.ends_at <= clinic.now():
            raise InvalidInput(N_('This appointment is already over.'))
        cancel_in_transaction(session, clinic, appointment, actor, reason, tell_patient=someone_else)
        info = describe(session, appointment)
        _offer_freed(session, clinic, info.doctor_id, appointment.blocked_from, appointment.blocked_until)
    clinic.hub.publish(appointment_changed(clinic, info, Change.cancelled, actor, origin))
    if someone_else:
        clinic.hub.publish(InboxChanged(user_id=info.patient_id))
    return info


def cancel_in_transaction(
    session: Session,
    clinic: Clinic,
    appointment: Appointment,
    actor: Person,
    reason: str,
    *,
    tell_patient: bool,
) -> None:
    """Cancel a booked appointment inside the caller's transaction: who, when, why, audit, and the patient's inbox."""
    appointment.status = AppointmentStatus.cancelled
    appointment.cancelled_by_id = actor.id
    appointment.cancelled_at = clinic.now()
    appointment.cancel_reason = reason
    session.add(appointment)
    session.flush()
    _end_earlier_watch(session, clinic, appointment.id)
    if tell_patient:
        tell_cancelled(session, clinic, appointment, by=actor.full_name)
    queue_confirmation(session, clinic, describe(session, appointment), 'cancelled')
    record(
        session,
        clinic,
        actor=actor,
        action='appointment.cancelled',
        doctor_id=appointment.doctor_id,
        appointment_id=appointment.id,
        before={'status': 'booked'},
        after={'status': 'cancelled', 'cancel_reason': reason},
    )


def _end_earlier_watch(session: Session, clinic: Clinic, appointment_id: int | None) -> None:
    """A cancelled appointment needs no earlier time: its watch on the waitlist ends with it."""
    from .offers import end_entries  # offers build on booking's own steps

    end_entries(session, clinic, appointment_id=appointment_id)


def _offer_freed(session: Session, clinic: Clinic, doctor_id: int, starts_at: datetime, ends_at: datetime) -> None:
    """Time this change gave back goes to the waitlist first, in the same transaction."""
    from .offers import offer_freed_span  # offers build on booking's own steps

    offer_freed_span(session, clinic, doctor_id=doctor_id, starts_at=starts_at, ends_at=ends_at)


def patient_booked_for(session: Session, actor: Person, patient_id: int | None) -> Person:
    """The patient an appointment is booked for: the actor themself (a confirmed patient), or whom the desk names."""
    if patient_id is None or patient_id == actor.id:
        require_patient(actor)
        require_confirmed_email(session, actor)
        return actor
    return require_may_book_for(session, actor, patient_id)


def visit_type_for(session: Session, actor: Person, *, doctor_id: int, type_id: int | None) -> VisitType:
    """The kind of visit to book: the one named, if the doctor offers it to this booker, or the doctor's first
    one the booker may book (a patient: one offered to patients; the front desk: any)."""
    doctor = session.get(Doctor, doctor_id)
    if doctor is None or not _active(session, doctor.user_id):  # a doctor who left takes no bookings
        raise NotFound(N_('Unknown doctor.'), field='doctor')
    staff = actor.role is not Role.patient
    kinds = [kind for kind in offered_types(session, doctor_id) if staff or kind.patients_may_book]
    if type_id is None:
        if not kinds:
            raise InvalidInput(N_('This doctor offers no visit that can be booked here.'), field='type')
        return kinds[0]
    kind = next((kind for kind in kinds if kind.id == type_id), None)
    if kind is None:
        raise InvalidInput(
            N_('This doctor does not offer that kind of visit here. Choose one from the list.'), field='type'
        )
    return kind


def _active(session: Session, user_id: int) -> bool:
    return bool(session.exec(select(User.is_active).where(User.id == user_id)).first())


def claim_time(
    session: Session,
    clinic: Clinic,
    patient_id: int,
    *,
    doctor_id: int,
    kind: VisitType,
    starts_at: datetime,
    adds_one: bool,
    besides: int | None = None,
) -> FreeSlot:
    """Return the free time for `kind` starting at `starts_at`, or refuse with why this patient cannot have it.

    `adds_one` is False for a move: the patient's total stays the same, but the new day's limit still applies (not
    counting `besides`, the appointment the time will replace).
    """
    day = starts_at.astimezone(clinic.tz).date()
    label = starts_at.astimezone(clinic.tz).strftime('%H:%M')
    require_bookable_day(clinic, day)
    require_room_to_hold(session, clinic, patient_id, doctor_id=doctor_id, day=day, adds_one=adds_one, besides=besides)
    slot = slots_in_session(session, clinic, doctor_id=doctor_id, day=day, kinds=[kind]).find(starts_at)
    if slot is None:
        raise _why_not_free(session, clinic, doctor_id=doctor_id, starts_at=starts_at, label=label)
    clash = session.exec(
        select(Appointment).where(
            Appointment.patient_id == patient_id,
            col(Appointment.status).in_(KEEPS_TIME),
            col(Appointment.starts_at) < slot.ends_at,
            col(Appointment.ends_at) > slot.starts_at,
        )
    ).first()
    if clash is not None:
        other = describe(session, clash)
        raise InvalidInput(
            N_('You already have an appointment at that time ({doctor} at {time}).'),
            field='slot',
            doctor=other.doctor_name,
            time=f'{other.starts_at.astimezone(clinic.tz):%H:%M}',
        )
    return slot


def require_bookable_day(clinic: Clinic, day: date) -> None:
    """Refuse a day before today or beyond the booking horizon, saying which days can be booked."""
    if day < clinic.today():
        raise InvalidInput(N_('This day has passed. Choose today or a later day.'), field='date')
    last = clinic.last_bookable_day()
    if day > last:
        raise InvalidInput(
            N_('Bookings open {days} days ahead. Choose a day up to {day}.'),
            field='date',
            days=clinic.settings.booking_horizon_days,
            day=last,
        )


def _refuse_unasked_second(
    session: Session, clinic: Clinic, patient_id: int, *, doctor_id: int, slot: FreeSlot
) -> None:
    starts, ends = local_day_bounds(slot.starts_at.astimezone(clinic.tz).date(), clinic.tz)
    first = session.exec(
        select(Appointment)
        .where(
            Appointment.patient_id == patient_id,
            Appointment.doctor_id == doctor_id,
            Appointment.status == AppointmentStatus.booked,
            col(Appointment.starts_at) >= starts,
            col(Appointment.starts_at) < ends,
        )
        .order_by(col(Appointment.starts_at))
    ).first()
    if first is not None:
        raise AlreadyBookedThatDay(describe(session, first), clinic.tz)


def _taken(error: IntegrityError, label: str | None) -> ClinicError:
    """The refusal of a time the database found taken (`label`: its HH:MM; None: the desk's next free one)."""
    if 'patient_id' in str(error.orig):
        return InvalidInput(N_('You already have an appointment at that time.'), field='slot')
    if label is None:
        return SlotTaken(N_('The time was just taken; the list has been refreshed.'), field='slot')
    return SlotTaken(N_('{time} was just taken; the list has been refreshed.'), field='slot', time=label)


def _why_not_free(session: Session, clinic: Clinic, *, doctor_id: int, starts_at: datetime, label: str) -> Exception:
    if starts_at < clinic.now() + clinic.min_notice:
        return SlotTaken(
            N_('{time} can no longer be booked: it is too close or already past.'), field='slot', time=label
        )
    taken = session.exec(
        select(Appointment.id).where(
            Appointment.doctor_id == doctor_id,
            col(Appointment.status).in_(KEEPS_TIME),
            col(Appointment.blocked_from) <= starts_at,
            col(Appointment.blocked_until) > starts_at,
        )
    ).first()
    if taken is not None:
        return SlotTaken(N_('{time} was just taken; the list has been refreshed.'), field='slot', time=label)
    return SlotTaken(N_('{time} is no longer available; the list has been refreshed.'), field='slot', time=label)
