"""The in-app inbox behind the bell, and reminders before appointments (in the inbox and by e-mail)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select, update

from models import Appointment, AppointmentStatus, Notification, User

from .access import load_actor
from .appointments import describe
from .clinic import Clinic
from .events import InboxChanged
from .local_time import format_when
from .mailer import send_email

log = logging.getLogger(__name__)
INBOX_SIZE = 20


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    text: str
    created_at: datetime
    read: bool


@dataclass(frozen=True, slots=True)
class Inbox:
    unread: int
    messages: tuple[Message, ...]


def send_reminder(clinic: Clinic, *, appointment_id: int, lead_minutes: int) -> bool:
    """Remind the patient of an appointment, once: in the inbox and by e-mail. False if it was not (or no longer) due.

    A reminder whose time passed while the app was down is still sent if the appointment is ahead; one for an
    appointment that has started, or was cancelled, is dropped.
    """
    try:
        with clinic.db.writing() as session:
            appointment = session.get(Appointment, appointment_id)
            if appointment is None or appointment.status is not AppointmentStatus.booked:
                return False
            if appointment.starts_at <= clinic.now():
                return False
            info = describe(session, appointment)
            text = f'Reminder: your appointment with {info.doctor_name} is on {format_when(info.starts_at, clinic.tz)}.'
            session.add(
                Notification(
                    user_id=info.patient_id,
                    appointment_id=appointment_id,
                    kind='reminder',
                    message=text,
                    dedupe_key=f'reminder:{appointment_id}:{lead_minutes}',
                    created_at=clinic.now(),
                )
            )
            email = session.exec(select(User.email).where(User.id == info.patient_id)).one()
    except IntegrityError:  # this reminder was already sent
        return False
    clinic.hub.publish(InboxChanged(user_id=info.patient_id, message=text))
    send_email(
        clinic.settings,
        to=email,
        subject=f'Reminder: {info.doctor_name}, {format_when(info.starts_at, clinic.tz)}',
        body=f'{text}\n\nTo cancel, open My appointments.',
    )
    return True


def inbox(clinic: Clinic, *, actor_id: int) -> Inbox:
    """Return a person's unread count and latest messages."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        return inbox_in_session(session, actor.id)


def inbox_in_session(session: Session, user_id: int) -> Inbox:
    unread = session.exec(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    ).one()
    rows = session.exec(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(INBOX_SIZE)
    ).all()
    return Inbox(
        unread=unread,
        messages=tuple(
            Message(id=n.id, text=n.message, created_at=n.created_at, read=n.read_at is not None)
            for n in rows
            if n.id is not None
        ),
    )


def mark_read(clinic: Clinic, *, actor_id: int, notification_id: int | None = None) -> None:
    """Mark one of the person's messages as read, or all of them."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        query = update(Notification).where(col(Notification.user_id) == actor.id, col(Notification.read_at).is_(None))
        if notification_id is not None:
            query = query.where(col(Notification.id) == notification_id)
        session.exec(query.values(read_at=clinic.now()))
    clinic.hub.publish(InboxChanged(user_id=actor.id))


def tell_cancelled(session: Session, clinic: Clinic, appointment: Appointment, by: str) -> None:
    """Put a cancellation notice in the patient's inbox (inside the cancelling transaction)."""
    info = describe(session, appointment)
    session.add(
        Notification(
            user_id=info.patient_id,
            appointment_id=info.id,
            kind='cancelled',
            created_at=clinic.now(),
            message=f'Your appointment with {info.doctor_name} on {format_when(info.starts_at, clinic.tz)} '
            f'was cancelled by {by}.',
        )
    )


def reminder_due_times(starts_at: datetime, leads: list[int]) -> list[tuple[int, datetime]]:
    """Return (lead in minutes, time to send) for each configured lead."""
    return [(lead, starts_at - timedelta(minutes=lead)) for lead in sorted(set(leads), reverse=True)]
