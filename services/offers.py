"""Offers from the waitlist: time that frees up is held for the first waiting patient it suits, who accepts or
declines it; an offer nobody answers in time passes on to the next in line.

A held time is an appointment row with status `held`, so the database's own guarantees (PostgreSQL's exclusion
constraints, the re-check inside SQLite's write transaction) keep it from everyone else exactly as a booking. An entry
gets one offer at a time, claimed by a conditional update, so two times freeing at once go to two entries. Accepting
turns the held row into the booking (or, for an earlier-time watch, moves the patient's appointment there and lets the
held row go) in one transaction; declining, expiring or leaving deletes it, which frees the time for the next offer.
"""

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from models import Appointment, AppointmentStatus, Doctor, Notification, User, WaitlistEntry, WaitStatus

from .access import load_actor, require_front_desk, require_room_to_hold
from .appointments import appointment_changed
from .audit import record
from .booking import claim_time, move_in_session
from .clinic import Clinic
from .confirmations import queue_confirmation
from .database import after_commit
from .errors import ClinicError, InvalidInput, NotFound
from .i18n import N_, translator, when_in
from .live.events import THE_CLINIC, Change, DomainEvent, InboxChanged, ScheduleChanged
from .notifications import language_of_user
from .outbox import queue_mail
from .read_models.appointments import describe
from .read_models.values import AppointmentInfo, Person
from .slot_engine import local_days
from .waitlist import entry_of, first_fit, kind_of

log = logging.getLogger(__name__)

GONE = N_('This offer is no longer open: it was answered, or its time ran out.')
NOT_WAITING = N_('This patient is not waiting any more; the list has been refreshed.')
MIN_HOLD = timedelta(minutes=2)  # a time that could be held for less is not offered: nobody could answer in time


@dataclass(frozen=True, slots=True)
class Offer:
    """A time held for a waiting patient, as they see it."""

    hold_id: int
    entry_id: int
    patient_id: int
    doctor_id: int
    doctor_name: str
    type_name: str
    starts_at: datetime
    ends_at: datetime
    held_until: datetime
    moves_appointment_id: int | None  # an earlier-time watch: accepting moves this appointment


def offer_freed_time(clinic: Clinic, *, doctor_id: int, first_day: date, last_day: date) -> tuple[Offer, ...]:
    """Offer whatever time is free on these days to the doctor's waiting entries that it suits (the leading process,
    after a change that did not do it itself); a read first, so a clinic with nobody waiting pays no write."""
    with clinic.db.reading() as session:
        if not _anyone_waiting(session, clinic, doctor_id, first_day, last_day):
            return ()
    with clinic.db.writing() as session:
        return offer_in_session(session, clinic, doctor_id=doctor_id, first_day=first_day, last_day=last_day)


def offer_in_session(
    session: Session, clinic: Clinic, *, doctor_id: int, first_day: date, last_day: date
) -> tuple[Offer, ...]:
    """Inside the transaction of a change that frees a doctor's time: hold it for the waiting entries it suits,
    first come first served, one offer per entry, so no page ever shows that time as free; their patients are told
    once the change is committed."""
    made: list[Offer] = []
    if not _anyone_waiting(session, clinic, doctor_id, first_day, last_day) or not _doctor_active(session, doctor_id):
        return ()
    entries = session.exec(
        _waiting(clinic, doctor_id, first_day, last_day).order_by(col(WaitlistEntry.created_at), col(WaitlistEntry.id))
    ).all()
    for entry in entries:
        if not _user_active(session, entry.patient_id):  # an account closed meanwhile is offered nothing
            continue
        offer = _offer_to(session, clinic, entry, starts_at=None)
        if offer is not None:
            made.append(offer)
            for event in _offered(session, clinic, offer):
                after_commit(session, functools.partial(clinic.hub.publish, event))
    return tuple(made)


def offer_freed_span(
    session: Session, clinic: Clinic, *, doctor_id: int, starts_at: datetime, ends_at: datetime
) -> None:
    """`offer_in_session` for the local days a freed stretch of the doctor's time touches."""
    first, last = local_days(starts_at, ends_at, clinic.tz)
    offer_in_session(session, clinic, doctor_id=doctor_id, first_day=first, last_day=last)


def _doctor_active(session: Session, doctor_id: int) -> bool:
    doctor = session.get(Doctor, doctor_id)
    return doctor is not None and _user_active(session, doctor.user_id)


def _user_active(session: Session, user_id: int) -> bool:
    return bool(session.exec(select(User.is_active).where(User.id == user_id)).first())


def _anyone_waiting(session: Session, clinic: Clinic, doctor_id: int, first_day: date, last_day: date) -> bool:
    return session.exec(_waiting(clinic, doctor_id, first_day, last_day).limit(1)).first() is not None


def _waiting(clinic: Clinic, doctor_id: int, first_day: date, last_day: date) -> SelectOfScalar[WaitlistEntry]:
    return select(WaitlistEntry).where(
        WaitlistEntry.doctor_id == doctor_id,
        WaitlistEntry.status == WaitStatus.waiting,
        col(WaitlistEntry.first_day) <= last_day,
        col(WaitlistEntry.last_day) >= max(first_day, clinic.today()),
    )


def offer_time_to(clinic: Clinic, *, actor_id: int, entry_id: int, starts_at: datetime) -> Offer:
    """The front desk offers a chosen free time to a chosen waiting patient (held for them as any offer)."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        entry = session.get(WaitlistEntry, entry_id)
        if entry is None or entry.status is not WaitStatus.waiting:
            raise InvalidInput(NOT_WAITING)
        offer = _offer_to(session, clinic, entry, starts_at=starts_at)
        if offer is None:  # _offer_to raised for a chosen time, or the entry was claimed meanwhile
            raise InvalidInput(NOT_WAITING)
        record(session, clinic, actor=actor, action='waitlist.offered', doctor_id=entry.doctor_id, after=_words(offer))
        events = _offered(session, clinic, offer, actor=actor)
    for event in events:
        clinic.hub.publish(event)
    return offer


def offers_of_patient(clinic: Clinic, *, actor_id: int) -> tuple[Offer, ...]:
    """The times held for the signed-in patient now, soonest first."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        holds = session.exec(
            select(Appointment)
            .where(
                Appointment.patient_id == actor.id,
                Appointment.status == AppointmentStatus.held,
                col(Appointment.held_until) > clinic.now(),
            )
            .order_by(col(Appointment.starts_at))
        ).all()
        return tuple(_offer(session, hold) for hold in holds)


def accept_offer(clinic: Clinic, *, actor_id: int, hold_id: int, origin: str | None = None) -> AppointmentInfo:
    """Take a held time: it becomes the patient's booking, or (an earlier-time watch) their appointment moves there,
    in one transaction. Refused once the offer expired or was answered."""
    try:
        with clinic.db.writing() as session:
            actor = load_actor(session, actor_id)
            hold, entry = _hold_of(session, clinic, actor, hold_id)
            moved_from = None
            if entry.appointment_id is not None:
                appointment = session.get(Appointment, entry.appointment_id)
                if appointment is None or appointment.status is not AppointmentStatus.booked:
                    raise InvalidInput(N_('The appointment this earlier time would replace is not booked any more.'))
                starts_at = hold.starts_at
                session.delete(hold)  # its time becomes the moved appointment's, in this same transaction
                session.flush()
                info, moved_from = move_in_session(session, clinic, actor, appointment, starts_at)
                queue_confirmation(session, clinic, info, 'moved', patients_words=info.reason)
                offer_freed_span(
                    session, clinic, doctor_id=info.doctor_id, starts_at=moved_from[0], ends_at=moved_from[1]
                )
            else:
                day = hold.starts_at.astimezone(clinic.tz).date()
                require_room_to_hold(session, clinic, hold.patient_id, doctor_id=hold.doctor_id, day=day, adds_one=True)
                taken = session.execute(  # of accept and expiry racing, exactly one changes the row
                    update(Appointment)
                    .where(
                        col(Appointment.id) == hold.id,
                        col(Appointment.status) == AppointmentStatus.held,
                        col(Appointment.held_until) > clinic.now(),
                    )
                    .values(status=AppointmentStatus.booked, held_until=None)
                )
                if cast(CursorResult[Any], taken).rowcount != 1:
                    raise InvalidInput(GONE)
                session.refresh(hold)
                info = describe(session, hold)
                record(
                    session,
                    clinic,
                    actor=actor,
                    action='appointment.booked',
                    doctor_id=info.doctor_id,
                    appointment_id=info.id,
                    after={
                        'starts_at': info.starts_at,
                        'ends_at': info.ends_at,
                        'patient': info.patient_name,
                        'from': 'the waitlist',
                    },
                )
                queue_confirmation(session, clinic, info, 'booked')
            entry.status, entry.ended_at = WaitStatus.served, clinic.now()
            session.add(entry)
    except IntegrityError as error:  # the moved appointment met a time taken meanwhile
        raise InvalidInput(GONE) from error
    change = Change.booked if moved_from is None else Change.moved
    clinic.hub.publish(appointment_changed(clinic, info, change, actor, origin, moved_from=moved_from))
    clinic.hub.publish(InboxChanged(user_id=info.patient_id))
    return info


def decline_offer(clinic: Clinic, *, actor_id: int, hold_id: int) -> None:
    """Say no to a held time: it passes on to the next in line (and the entry ends: the patient did not want it)."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        hold, entry = _hold_of(session, clinic, actor, hold_id)
        events = _release(session, clinic, hold, entry, why=None)
    for event in events:
        clinic.hub.publish(event)


def leave_waitlist(clinic: Clinic, *, actor_id: int, entry_id: int) -> None:
    """Take an entry off the waitlist (the patient their own, the front desk any); a time held for it passes on."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        entry = entry_of(session, actor, entry_id)
        events = _end(session, clinic, entry)
        record(
            session, clinic, actor=actor, action='waitlist.left', doctor_id=entry.doctor_id, after={'entry': entry.id}
        )
    events.append(InboxChanged(user_id=entry.patient_id))
    for event in events:
        clinic.hub.publish(event)


def expire_offers(clinic: Clinic) -> int:
    """Let every held time whose answer is overdue go to the next in line; return how many (the leader's job)."""
    events: list[DomainEvent] = []
    with clinic.db.writing() as session:
        overdue = session.exec(
            select(Appointment).where(
                Appointment.status == AppointmentStatus.held, col(Appointment.held_until) <= clinic.now()
            )
        ).all()
        for hold in overdue:
            entry = session.get(WaitlistEntry, hold.waitlist_entry_id)
            if entry is not None:
                events += _release(session, clinic, hold, entry, why='expired')
            else:  # a held time whose entry is gone holds nothing for anyone: let it go
                session.delete(hold)
    for event in events:
        clinic.hub.publish(event)
    return sum(isinstance(event, ScheduleChanged) for event in events)


def next_expiry(clinic: Clinic) -> datetime | None:
    """When the soonest held time runs out, if any is held."""
    with clinic.db.reading() as session:
        return session.exec(
            select(func.min(Appointment.held_until)).where(Appointment.status == AppointmentStatus.held)
        ).one()


def release_holds_in(
    session: Session, clinic: Clinic, *, doctor_ids: Sequence[int], starts_at: datetime, ends_at: datetime
) -> None:
    """Inside a change that takes the doctors' time (a block, a closure, shorter hours): let the times held there go;
    their entries wait again, and their patients are told once the change is committed."""
    holds = session.exec(
        select(Appointment).where(
            col(Appointment.doctor_id).in_(doctor_ids),
            Appointment.status == AppointmentStatus.held,
            col(Appointment.blocked_from) < ends_at,
            col(Appointment.blocked_until) > starts_at,
        )
    ).all()
    events: list[DomainEvent] = []
    for hold in holds:
        entry = session.get(WaitlistEntry, hold.waitlist_entry_id)
        if entry is not None:
            events += _release(session, clinic, hold, entry, why='withdrawn')
    for event in events:
        after_commit(session, functools.partial(clinic.hub.publish, event))


def end_entries(
    session: Session,
    clinic: Clinic,
    *,
    patient_id: int | None = None,
    doctor_id: int | None = None,
    appointment_id: int | None = None,
    message: str | None = None,
) -> None:
    """Inside a change that ends waiting: a patient's account or a doctor's is deactivated, or the appointment an
    earlier-time watch is for is cancelled. The open entries end (their patients told `message`, if any), and a time
    held for one passes to the next in line."""
    query = select(WaitlistEntry).where(col(WaitlistEntry.status).in_((WaitStatus.waiting, WaitStatus.offered)))
    if patient_id is not None:
        query = query.where(WaitlistEntry.patient_id == patient_id)
    if doctor_id is not None:
        query = query.where(WaitlistEntry.doctor_id == doctor_id)
    if appointment_id is not None:
        query = query.where(WaitlistEntry.appointment_id == appointment_id)
    events: list[DomainEvent] = []
    for entry in session.exec(query).all():
        events += _end(session, clinic, entry)
        if message is not None:
            session.add(Notification(user_id=entry.patient_id, kind='offer', message=message, created_at=clinic.now()))
        events.append(InboxChanged(user_id=entry.patient_id, message=message))
    for event in events:
        after_commit(session, functools.partial(clinic.hub.publish, event))


def _end(session: Session, clinic: Clinic, entry: WaitlistEntry) -> list[DomainEvent]:
    """End an open entry inside the caller's transaction; a time held for it passes to the next in line."""
    events: list[DomainEvent] = []
    if entry.status is WaitStatus.offered:
        hold = session.exec(
            select(Appointment).where(
                Appointment.waitlist_entry_id == entry.id, Appointment.status == AppointmentStatus.held
            )
        ).first()
        if hold is not None:
            events = _release(session, clinic, hold, entry, why=None)
    if entry.status in (WaitStatus.waiting, WaitStatus.offered):
        entry.status, entry.ended_at = WaitStatus.left, clinic.now()
        session.add(entry)
    return events


def _offer_to(session: Session, clinic: Clinic, entry: WaitlistEntry, *, starts_at: datetime | None) -> Offer | None:
    """Hold a time for the entry (the first that suits it, or `starts_at`) and tell its patient; None if nothing
    suits, the patient may hold no more, or another process claimed the entry first."""
    kind = kind_of(session, entry)
    chosen = starts_at is not None
    if starts_at is None:
        starts_at = first_fit(session, clinic, entry, kind)
        if starts_at is None:
            return None
    # held for the set time, but never past the moment it can last be booked; too close for that: not offered
    held_until = min(
        clinic.now() + timedelta(minutes=clinic.settings.offer_hold_minutes), starts_at - clinic.min_notice
    )
    if held_until <= clinic.now() + MIN_HOLD:
        if chosen:
            too_soon = N_('This time starts too soon to be held for a patient; choose a later one.')
            raise InvalidInput(too_soon, field='time')
        return None
    try:
        _require_room(session, clinic, entry, starts_at)
        with session.begin_nested():
            claimed = session.execute(
                update(WaitlistEntry)
                .where(col(WaitlistEntry.id) == entry.id, col(WaitlistEntry.status) == WaitStatus.waiting)
                .values(status=WaitStatus.offered)
            )
            if cast(CursorResult[Any], claimed).rowcount != 1:
                return None
            slot = claim_time(
                session,
                clinic,
                entry.patient_id,
                doctor_id=entry.doctor_id,
                kind=kind,
                starts_at=starts_at,
                adds_one=False,
                besides=entry.appointment_id,
            )
            hold = Appointment(
                doctor_id=entry.doctor_id,
                patient_id=entry.patient_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                type_id=kind.id,
                blocked_from=slot.starts_at - timedelta(minutes=kind.before),
                blocked_until=slot.ends_at + timedelta(minutes=kind.after),
                status=AppointmentStatus.held,
                held_until=held_until,
                waitlist_entry_id=entry.id,
                created_at=clinic.now(),
            )
            session.add(hold)
            session.flush()
    except IntegrityError:  # another process held or booked it first: this entry waits on
        return None
    except ClinicError:  # the patient may hold no more, or (a time the desk chose) it is not free for them
        if chosen:
            raise
        return None
    session.refresh(entry)
    offer = _offer(session, hold)
    _tell_offered(session, clinic, offer)
    return offer


def _require_room(session: Session, clinic: Clinic, entry: WaitlistEntry, starts_at: datetime) -> None:
    day = starts_at.astimezone(clinic.tz).date()
    require_room_to_hold(
        session,
        clinic,
        entry.patient_id,
        doctor_id=entry.doctor_id,
        day=day,
        adds_one=entry.appointment_id is None,
        besides=entry.appointment_id,
    )


def _hold_of(session: Session, clinic: Clinic, actor: Person, hold_id: int) -> tuple[Appointment, WaitlistEntry]:
    """A time held for the actor (or, for the front desk, for anyone) that still waits for an answer."""
    hold = session.get(Appointment, hold_id)
    if hold is None or hold.status is not AppointmentStatus.held or hold.waitlist_entry_id is None:
        raise InvalidInput(GONE)
    if hold.patient_id != actor.id:
        try:
            require_front_desk(actor)
        except ClinicError:
            raise NotFound(N_('There is no such offer.')) from None
    assert hold.held_until is not None
    if hold.held_until <= clinic.now():
        raise InvalidInput(GONE)
    entry = session.get(WaitlistEntry, hold.waitlist_entry_id)
    assert entry is not None
    return hold, entry


def _release(
    session: Session, clinic: Clinic, hold: Appointment, entry: WaitlistEntry, *, why: str | None
) -> list[DomainEvent]:
    """Let a held time go, inside the caller's transaction: `why` None (declined or left: the entry ends), 'expired'
    (unanswered: the entry ends, and its patient is told), 'withdrawn' (the doctor's time changed: it waits again)."""
    offer = _offer(session, hold)
    gone = session.execute(
        delete(Appointment).where(col(Appointment.id) == hold.id, col(Appointment.status) == AppointmentStatus.held)
    )
    if cast(CursorResult[Any], gone).rowcount != 1:  # accepted or let go meanwhile
        return []
    session.expunge(hold)
    entry.status = WaitStatus.waiting if why == 'withdrawn' else WaitStatus.left
    entry.ended_at = None if why == 'withdrawn' else clinic.now()
    session.add(entry)
    events: list[DomainEvent] = [_time_event(clinic, offer, Change.offer_ended)]
    if why != 'withdrawn':  # the next in line (a withdrawn time is being taken by the change that let it go)
        day = offer.starts_at.astimezone(clinic.tz).date()
        offer_in_session(session, clinic, doctor_id=offer.doctor_id, first_day=day, last_day=day)
    if why is not None:  # the patient is told, in their language
        language = language_of_user(session, clinic, offer.patient_id)
        _ = translator(language)
        words = {'doctor': offer.doctor_name, 'when': when_in(language, offer.starts_at, clinic.tz)}
        if why == 'expired':
            message = _(
                'The time held for you with {doctor} on {when} went to the next patient waiting: it was not answered '
                'in time.',
                **words,
            )
        else:
            message = _(
                'The time held for you with {doctor} on {when} is no longer available; you are still on the waitlist.',
                **words,
            )
        session.add(Notification(user_id=offer.patient_id, kind='offer', message=message, created_at=clinic.now()))
        events.append(InboxChanged(user_id=offer.patient_id, message=message))
    else:
        events.append(InboxChanged(user_id=offer.patient_id))
    return events


def _tell_offered(session: Session, clinic: Clinic, offer: Offer) -> None:
    """The bell, and an e-mail for a patient who is not looking, inside the offer's transaction, in the patient's
    language."""
    found = session.exec(select(User.email, User.language).where(User.id == offer.patient_id)).first()
    address, chosen = found if found is not None else (None, None)
    language = clinic.language_of(chosen)
    _ = translator(language)
    words = {
        'doctor': offer.doctor_name,
        'when': when_in(language, offer.starts_at, clinic.tz),
        'until': offer.held_until.astimezone(clinic.tz).strftime('%H:%M'),
    }
    if offer.moves_appointment_id:
        message = _(
            'An earlier time with {doctor} is free for you: {when}. It is held for you until {until}; accept or '
            'decline it on your appointments page.',
            **words,
        )
        subject = _('An earlier time for you: {doctor}, {when}', **words)
    else:
        message = _(
            'A time with {doctor} is free for you: {when}. It is held for you until {until}; accept or decline it '
            'on your appointments page.',
            **words,
        )
        subject = _('A time for you: {doctor}, {when}', **words)
    session.add(Notification(user_id=offer.patient_id, kind='offer', message=message, created_at=clinic.now()))
    queue_mail(
        session,
        clinic,
        kind='waitlist offer',
        to=address,
        subject=subject,
        text=f'{message}\n\n{clinic.settings.site_url}/appointments\n',
    )


def _offered(session: Session, clinic: Clinic, offer: Offer, *, actor: Person | None = None) -> list[DomainEvent]:
    """The events of a time held for a patient: its day changed, and the patient's bell pops up (in their
    language)."""
    language = language_of_user(session, clinic, offer.patient_id)
    when = when_in(language, offer.starts_at, clinic.tz)
    _ = translator(language)
    message = _('A time with {doctor} is held for you: {when}.', doctor=offer.doctor_name, when=when)
    return [
        _time_event(clinic, offer, Change.offered, actor=actor),
        InboxChanged(user_id=offer.patient_id, message=message),
    ]


def _time_event(clinic: Clinic, offer: Offer, change: Change, *, actor: Person | None = None) -> ScheduleChanged:
    """The held time's day changed for every page showing it (quietly: the clinic did it, not a person)."""
    return ScheduleChanged(
        doctor_id=offer.doctor_id,
        day_ranges=(local_days(offer.starts_at, offer.ends_at, clinic.tz),),
        change=change,
        actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else THE_CLINIC,
        patient_ids=frozenset({offer.patient_id}),
        appointment_ids=frozenset({offer.hold_id}) if change is Change.offered else frozenset(),
    )


def _offer(session: Session, hold: Appointment) -> Offer:
    assert hold.id is not None and hold.waitlist_entry_id is not None and hold.held_until is not None
    info = describe(session, hold)
    entry = session.get(WaitlistEntry, hold.waitlist_entry_id)
    return Offer(
        hold_id=hold.id,
        entry_id=hold.waitlist_entry_id,
        patient_id=hold.patient_id,
        doctor_id=hold.doctor_id,
        doctor_name=info.doctor_name,
        type_name=info.type_name,
        starts_at=hold.starts_at,
        ends_at=hold.ends_at,
        held_until=hold.held_until,
        moves_appointment_id=entry.appointment_id if entry else None,
    )


def _words(offer: Offer) -> dict[str, object]:
    return {'patient_id': offer.patient_id, 'starts_at': offer.starts_at, 'held_until': offer.held_until}
