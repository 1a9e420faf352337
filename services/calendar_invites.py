"""The calendar invitation mailed with a confirmation: one appointment as an iCalendar event.

Each appointment keeps one UID across its booking, moves and cancellation, and each invitation about it carries a
higher SEQUENCE, so a calendar that imported the booking moves or removes that entry when a later one arrives.
Times are in the clinic's zone, with its VTIMEZONE.
"""

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from .clinic import Clinic
from .read_models.values import AppointmentInfo

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
) -> str:
    """The .ics text: METHOD:REQUEST for a booking or a move, METHOD:CANCEL for a cancellation."""
    calendar = Calendar()
    calendar.add('prodid', PRODUCT)
    calendar.add('version', '2.0')
    calendar.add('method', 'CANCEL' if cancelled else 'REQUEST')
    event = Event()
    event.add('uid', appointment_uid(clinic, info.id))
    event.add('sequence', sequence)
    event.add('dtstamp', now)
    event.add('dtstart', info.starts_at.astimezone(clinic.tz))
    event.add('dtend', info.ends_at.astimezone(clinic.tz))
    what = info.type_name or 'Appointment'
    event.add('summary', f'{what} with {info.doctor_name}')
    event.add('status', 'CANCELLED' if cancelled else 'CONFIRMED')
    address = clinic.settings.clinic_address
    if address:
        event.add('location', vText(f'{clinic.settings.clinic_name}, {address}'))
    if reason:
        event.add('description', reason)
    organizer = vCalAddress(f'mailto:{clinic.settings.smtp_from}')
    organizer.params['cn'] = vText(clinic.settings.clinic_name)
    event.add('organizer', organizer)
    attendee = vCalAddress(f'mailto:{to}')
    attendee.params['cn'] = vText(info.patient_name)
    attendee.params['role'] = vText('REQ-PARTICIPANT')
    event.add('attendee', attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    text: bytes = calendar.to_ical()
    return text.decode()
