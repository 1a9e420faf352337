"""The calendar invitation mailed with a confirmation: one appointment as an iCalendar event.

Each appointment keeps one UID across its booking, moves and cancellation, and each invitation about it carries a
higher SEQUENCE, so a calendar that imported the booking moves or removes that entry when a later one arrives.
Times are in the clinic's zone, with its VTIMEZONE.
"""

from collections.abc import Collection
from datetime import datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress, vText
from sqlmodel import Session, col, func, select

from models import Appointment, AppointmentStatus, OutboxMail, Role, User

from .access import load_actor
from .clinic import Clinic
from .errors import NotFound
from .i18n import SOURCE_LANGUAGE, translator
from .read_models.appointments import describe
from .read_models.values import AppointmentInfo, Person

PRODUCT = '-//Clinic booking//EN'


def appointment_uid(clinic: Clinic, appointment_id: int) -> str:
    domain = clinic.settings.smtp_from.rpartition('@')[2] or 'localhost'
    return f'appointment-{appointment_id}@{domain}'


def invitation(
    clinic: Clinic,
    info: AppointmentInfo,
    *,
    sequence: int,
    cancelled: bool,
    to: str,
    reason: str = '',
    now: datetime,
    method: str | None = None,
    reader: Literal['patient', 'doctor'] = 'patient',
    language: str = SOURCE_LANGUAGE,
) -> str:
    """The .ics text for the appointment's patient or doctor (`reader`, at the address `to`): METHOD:REQUEST for a
    booking or a move, METHOD:CANCEL for a cancellation (or `method`, e.g. PUBLISH for a downloaded file)."""
    calendar = new_calendar(method or ('CANCEL' if cancelled else 'REQUEST'))
    with_whom = info.doctor_name if reader == 'patient' else info.patient_name
    event = appointment_event(
        clinic,
        info,
        sequence=sequence,
        cancelled=cancelled,
        with_whom=with_whom,
        reason=reason,
        now=now,
        language=language,
    )
    organizer = vCalAddress(f'mailto:{clinic.settings.smtp_from}')
    organizer.params['cn'] = vText(clinic.settings.clinic_name)
    event.add('organizer', organizer)
    attendee = vCalAddress(f'mailto:{to}')
    attendee.params['cn'] = vText(info.patient_name if reader == 'patient' else info.doctor_name)
    attendee.params['role'] = vText('REQ-PARTICIPANT')
    event.add('attendee', attendee)
    calendar.add_component(event)
    return calendar_text(calendar)


def new_calendar(method: str) -> Calendar:
    """An empty calendar of this product, with its METHOD."""
    calendar = Calendar()
    calendar.add('prodid', PRODUCT)
    calendar.add('version', '2.0')
    calendar.add('method', method)
    return calendar


def appointment_event(
    clinic: Clinic,
    info: AppointmentInfo,
    *,
    sequence: int,
    cancelled: bool,
    with_whom: str,
    reason: str,
    now: datetime,
    language: str = SOURCE_LANGUAGE,
) -> Event:
    """One appointment as an event: its UID and SEQUENCE, its times in the clinic's zone, '<kind> with <with_whom>',
    the clinic's address, and `reason` as its description when given."""
    event = Event()
    event.add('uid', appointment_uid(clinic, info.id))
    event.add('sequence', sequence)
    event.add('dtstamp', now)
    event.add('dtstart', info.starts_at.astimezone(clinic.tz))
    event.add('dtend', info.ends_at.astimezone(clinic.tz))
    _ = translator(language)
    what = info.type_name or _('Appointment')
    event.add('summary', _('{what} with {whom}', what=what, whom=with_whom))
    event.add('status', 'CANCELLED' if cancelled else 'CONFIRMED')
    address = clinic.settings.clinic_address
    if address:
        event.add('location', vText(f'{clinic.settings.clinic_name}, {address}'))
    if reason:
        event.add('description', reason)
    return event


def calendar_text(calendar: Calendar) -> str:
    """The .ics text of a calendar, with the VTIMEZONE of each zone its events use."""
    calendar.add_missing_timezones()
    text: bytes = calendar.to_ical()
    return text.decode()


def invitations_sent(session: Session, appointment_ids: Collection[int]) -> dict[int, int]:
    """How many invitations were mailed about each appointment (the latest carried SEQUENCE one less; none: 0)."""
    if not appointment_ids:
        return {}
    rows = session.exec(
        select(col(OutboxMail.appointment_id), func.count())
        .where(col(OutboxMail.appointment_id).in_(appointment_ids), col(OutboxMail.calendar).is_not(None))
        .group_by(col(OutboxMail.appointment_id))
    ).all()
    return {appointment_id: count for appointment_id, count in rows if appointment_id is not None}


def appointment_file(clinic: Clinic, *, actor_id: int | None, appointment_id: int) -> tuple[str, str]:
    """The calendar file of one appointment (its patient's, its doctor's, or any for the front desk) and a file name;
    NotFound for anyone else, as for an appointment that does not exist."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id) if actor_id is not None else None
        appointment = session.get(Appointment, appointment_id)
        if actor is None or appointment is None or not _may_see(actor, appointment):
            raise NotFound('There is no such appointment.')
        info = describe(session, appointment)
        reader: Literal['patient', 'doctor'] = 'doctor' if actor.doctor_id == info.doctor_id else 'patient'
        whose = info.patient_id if reader == 'patient' else actor.id
        to = session.exec(select(User.email).where(User.id == whose)).first() or ''
        sequence = invitations_sent(session, [info.id]).get(info.id, 0)
    cancelled = info.status is AppointmentStatus.cancelled
    reason = info.reason if actor.id == info.patient_id else ''
    text = invitation(
        clinic,
        info,
        sequence=sequence,
        cancelled=cancelled,
        to=to,
        reason=reason,
        now=clinic.now(),
        method='PUBLISH',
        reader=reader,
    )
    return text, f'appointment-{info.id}.ics'


def _may_see(actor: Person, appointment: Appointment) -> bool:
    if actor.role is Role.admin:
        return True
    if actor.role is Role.doctor:
        return actor.doctor_id == appointment.doctor_id
    return actor.id == appointment.patient_id
