"""The in-app inbox behind the bell: reading it, marking messages read, and telling a patient of a cancellation."""

from sqlmodel import Session, col, update

from models import Appointment, Notification

from .access import load_actor
from .clinic import Clinic
from .live.events import InboxChanged
from .local_time import format_when
from .read_models.appointments import describe
from .read_models.inboxes import inbox_in_session
from .read_models.values import Inbox


def inbox(clinic: Clinic, *, actor_id: int) -> Inbox:
    """Return a person's unread count and latest messages."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        return inbox_in_session(session, actor.id)


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
    """Put a cancellation notice in the patient's inbox (inside the cancelling transaction), with the reason given."""
    info = describe(session, appointment)
    why = f' {info.cancel_reason}' if info.cancel_reason else ''
    session.add(
        Notification(
            user_id=info.patient_id,
            appointment_id=info.id,
            kind='cancelled',
            created_at=clinic.now(),
            message=f'Your appointment with {info.doctor_name} on {format_when(info.starts_at, clinic.tz)} '
            f'was cancelled by {by}.{why}',
        )
    )


def tell_by_desk(session: Session, clinic: Clinic, appointment: Appointment, *, by: str, moved: bool = False) -> None:
    """Put a booking or a move the front desk made for the patient in their inbox (inside its transaction)."""
    info = describe(session, appointment)
    what = 'moved to' if moved else 'booked for'
    session.add(
        Notification(
            user_id=info.patient_id,
            appointment_id=info.id,
            kind='moved' if moved else 'booked',
            created_at=clinic.now(),
            message=f'Your appointment with {info.doctor_name} was {what} {format_when(info.starts_at, clinic.tz)} '
            f'by {by}.',
        )
    )
