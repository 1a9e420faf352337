"""Private calendar feeds: an address a patient or a doctor subscribes to once in their calendar app.

The address holds a long random token, and the token is the only credential (a calendar app sends no cookie). Only a
SHA-256 of it is stored, so the address is shown once, when it is made; making a new one or turning it off ends the
old one at once. The feed is the person's own appointments that are not cancelled, from FEED_PAST_DAYS ago on, each
with the UID of the invitations mailed about it, so a cancelled one disappears at the calendar's next refresh.
A doctor's events name the patient but never the patient's own words; a patient's carry their reason.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import vDuration
from sqlmodel import Session, col, delete, select

from models import Appointment, AppointmentStatus, CalendarFeed, Role

from .access import load_actor, visible_appointments
from .calendar_invites import appointment_event, calendar_text, invitations_sent, new_calendar
from .clinic import Clinic
from .errors import InvalidInput, NotAllowed, NotFound
from .i18n import N_
from .read_models.appointments import describe_many
from .read_models.values import AppointmentInfo, Person

log = logging.getLogger(__name__)

FEED_PATH = '/calendar/'
FEED_PAST_DAYS = 30  # how far back the feed still shows appointments (completed and no-shows included)
REFRESH = timedelta(minutes=15)  # how often a calendar app is asked to look again (those that listen)
NO_FEED_FOR_THE_DESK = N_('The front desk has no appointments of its own, so it has no calendar address.')
NO_SUCH_FEED = N_('There is no such calendar.')


@dataclass(frozen=True, slots=True)
class FeedStatus:
    active_since: datetime | None  # None: the person has no calendar address


def open_feed(clinic: Clinic, *, actor_id: int) -> str:
    """Make the person a new private calendar address (any earlier one stops working); return it, to show once."""
    token = secrets.token_urlsafe(32)
    with clinic.db.writing() as session:
        actor = _may_have_feed(load_actor(session, actor_id))
        feed = session.exec(select(CalendarFeed).where(CalendarFeed.user_id == actor.id)).first()
        if feed is None:
            feed = CalendarFeed(user_id=actor.id, token_hash=_hash(token))
        feed.token_hash, feed.created_at = _hash(token), clinic.now()
        session.add(feed)
    log.info('made a new calendar address for account %s', actor.id)
    return f'{clinic.settings.site_url}{FEED_PATH}{token}.ics'


def feed_status(clinic: Clinic, *, actor_id: int) -> FeedStatus:
    """Whether the person has a calendar address, and since when (the address itself cannot be shown again)."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        since = session.exec(select(CalendarFeed.created_at).where(CalendarFeed.user_id == actor.id)).first()
    return FeedStatus(active_since=since)


def revoke_feed(clinic: Clinic, *, actor_id: int) -> None:
    """Turn the person's calendar address off: calendars subscribed to it get nothing more."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        session.execute(delete(CalendarFeed).where(col(CalendarFeed.user_id) == actor.id))
    log.info('turned off the calendar address of account %s', actor.id)


def feed_calendar(clinic: Clinic, *, token: str) -> str:
    """The .ics text behind a calendar address; NotFound for an unknown or turned-off one, or a deactivated owner."""
    if not token or len(token) > 100:
        raise NotFound(NO_SUCH_FEED)
    with clinic.db.reading() as session:
        owner_id = session.exec(select(CalendarFeed.user_id).where(CalendarFeed.token_hash == _hash(token))).first()
        if owner_id is None:
            raise NotFound(NO_SUCH_FEED)
        try:  # a deactivated account's address ends with it
            owner = _may_have_feed(load_actor(session, owner_id))
            appointments = _appointments_of(session, clinic, owner)
        except (NotAllowed, InvalidInput):
            raise NotFound(NO_SUCH_FEED) from None
        sent = invitations_sent(session, [info.id for info in appointments])
    return _calendar(clinic, owner, appointments, sent)


def _may_have_feed(actor: Person) -> Person:
    if actor.role is Role.admin:
        raise InvalidInput(NO_FEED_FOR_THE_DESK)
    return actor


def _appointments_of(session: Session, clinic: Clinic, owner: Person) -> list[AppointmentInfo]:
    kind, ident = visible_appointments(owner)  # a patient's own, or a doctor's own: never anyone else's
    query = select(Appointment).where(
        col(Appointment.status).not_in((AppointmentStatus.cancelled, AppointmentStatus.held)),
        col(Appointment.ends_at) > clinic.now() - timedelta(days=FEED_PAST_DAYS),
    )
    if kind == 'patient':
        query = query.where(Appointment.patient_id == ident)
    elif kind == 'doctor':
        query = query.where(Appointment.doctor_id == ident)
    else:
        raise NotFound(NO_SUCH_FEED)
    rows = session.exec(query.order_by(col(Appointment.starts_at), col(Appointment.id))).all()
    return describe_many(session, rows)


def _calendar(clinic: Clinic, owner: Person, appointments: list[AppointmentInfo], sent: dict[int, int]) -> str:
    calendar = new_calendar('PUBLISH')
    calendar.add('x-wr-calname', f'{clinic.settings.clinic_name} – {owner.full_name}')
    calendar.add('x-wr-timezone', clinic.settings.timezone)
    calendar.add('refresh-interval', REFRESH, parameters={'VALUE': 'DURATION'})
    calendar.add('x-published-ttl', vDuration(REFRESH))
    now = clinic.now()
    language = clinic.language_of(owner.language)  # the events' words, in the owner's language
    for info in appointments:
        patients_own = owner.role is Role.patient
        calendar.add_component(
            appointment_event(
                clinic,
                info,
                sequence=max(sent.get(info.id, 0) - 1, 0),  # the latest invitation's: the same version of it
                cancelled=False,
                with_whom=info.doctor_name if patients_own else info.patient_name,
                reason=info.reason if patients_own else '',  # a doctor's calendar never holds the patient's words
                now=now,
                language=language,
            )
        )
    return calendar_text(calendar)


def _hash(token: str) -> str:
    return hashlib.sha256(f'calendar feed {token}'.encode()).hexdigest()
