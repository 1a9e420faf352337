"""Reminders before appointments: when each is due, sending one exactly once, and catching up after downtime.

The database is the truth. A booked appointment that lies ahead has a reminder due at each configured lead
before its start, counted from when it got that start (booking it, or moving it); a sent reminder is a
notification with a unique key, so no process or retry can send it twice. The scheduler runs a job at each
upcoming due time and nothing more: whatever fell due while no process ran the jobs (a crash, a restart, a
takeover) is found and sent by `catch_up_reminders`, which also returns what is still to come.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from models import Appointment, AppointmentStatus, AuditRecord, Notification, User

from .clinic import Clinic
from .i18n import translator, when_in
from .live.events import InboxChanged
from .outbox import queue_mail
from .read_models.appointments import describe

TIMED_BY = ('appointment.booked', 'appointment.moved')  # the audit actions that give an appointment its time


@dataclass(frozen=True, slots=True)
class DueReminder:
    appointment_id: int
    lead_minutes: int
    due_at: datetime


def reminder_due_times(starts_at: datetime, leads: Iterable[int]) -> list[tuple[int, datetime]]:
    """Return (lead in minutes, time to send) for each configured lead, earliest first."""
    return [(lead, starts_at - timedelta(minutes=lead)) for lead in sorted(set(leads), reverse=True)]


def upcoming_reminders(clinic: Clinic, *, appointment_ids: Iterable[int] | None = None) -> list[DueReminder]:
    """Return the reminders still to come of these appointments (of every booked one by default)."""
    now = clinic.now()
    with clinic.db.reading() as session:
        appointments = _booked_ahead(session, now, appointment_ids)
    return [
        DueReminder(appointment.id, lead, due_at)
        for appointment in appointments
        if appointment.id is not None
        for lead, due_at in reminder_due_times(appointment.starts_at, clinic.settings.reminder_lead_minutes)
        if due_at > now
    ]


def catch_up_reminders(clinic: Clinic) -> list[DueReminder]:
    """Send each reminder that fell due while no process ran the jobs, once; return those still to come.

    Of several missed leads only the latest is sent (one reminder, not a burst); a lead that had already passed
    when the appointment got its time was never due.
    """
    now = clinic.now()
    with clinic.db.reading() as session:
        appointments = _booked_ahead(session, now, None)
        timed_at = _timed_at(session, [a.id for a in appointments if a.id is not None])
    for appointment in appointments:
        assert appointment.id is not None
        since = timed_at.get(appointment.id, appointment.created_at)
        due = reminder_due_times(appointment.starts_at, clinic.settings.reminder_lead_minutes)
        missed = [lead for lead, due_at in due if since < due_at <= now]
        if missed:
            send_reminder(clinic, appointment_id=appointment.id, lead_minutes=missed[-1])
    return upcoming_reminders(clinic)


def send_reminder(clinic: Clinic, *, appointment_id: int, lead_minutes: int) -> bool:
    """Remind the patient of an appointment, once: in the inbox and by e-mail (through the outbox, in the same
    transaction). False if it was not (or no longer) due.

    One for an appointment that has started, or was cancelled, is dropped.
    """
    try:
        with clinic.db.writing() as session:
            appointment = session.get(Appointment, appointment_id)
            if appointment is None or appointment.status is not AppointmentStatus.booked:
                return False
            if appointment.starts_at <= clinic.now():
                return False
            info = describe(session, appointment)
            email, chosen = session.exec(select(User.email, User.language).where(User.id == info.patient_id)).one()
            language = chosen if chosen in clinic.settings.offered_languages else clinic.settings.default_language
            _ = translator(language)  # the patient's language: the bell keeps the text as written
            site = clinic.settings.site_url
            when = when_in(language, info.starts_at, clinic.tz)
            text = _('Reminder: your appointment with {doctor} is on {when}.', doctor=info.doctor_name, when=when)
            session.add(
                Notification(
                    user_id=info.patient_id,
                    appointment_id=appointment_id,
                    kind='reminder',
                    message=text,
                    dedupe_key=reminder_key(appointment_id, info.starts_at, lead_minutes),
                    created_at=clinic.now(),
                )
            )
            if not clinic.settings.email_reminders:
                email = None  # the clinic reminds in the bell only
            queue_mail(  # with the inbox message, or not at all (no address: the bell only)
                session,
                clinic,
                kind='reminder',
                to=email,
                subject=_('Reminder: {doctor}, {when}', doctor=info.doctor_name, when=when),
                text=text + '\n\n' + _('To see or cancel it, open {address}', address=f'{site}/appointments'),
                appointment_id=appointment_id,
            )
    except IntegrityError:  # this reminder was already sent
        return False
    clinic.hub.publish(InboxChanged(user_id=info.patient_id, message=text))
    return True


def reminder_key(appointment_id: int, starts_at: datetime, lead_minutes: int) -> str:
    """The unique key of one reminder: a moved appointment is reminded again of its new time."""
    return f'reminder:{appointment_id}:{starts_at:%Y%m%dT%H%MZ}:{lead_minutes}'


def _booked_ahead(session: Session, now: datetime, ids: Iterable[int] | None) -> Sequence[Appointment]:
    query = select(Appointment).where(Appointment.status == AppointmentStatus.booked, col(Appointment.starts_at) > now)
    if ids is not None:
        query = query.where(col(Appointment.id).in_(list(ids)))
    return session.exec(query).all()


def _timed_at(session: Session, ids: list[int]) -> dict[int, datetime]:
    """When each appointment got its current start: its latest booking or move."""
    if not ids:
        return {}
    rows = session.exec(
        select(AuditRecord.appointment_id, func.max(AuditRecord.at))
        .where(col(AuditRecord.appointment_id).in_(ids), col(AuditRecord.action).in_(TIMED_BY))
        .group_by(col(AuditRecord.appointment_id))
    ).all()
    return {appointment_id: at for appointment_id, at in rows if appointment_id is not None}
