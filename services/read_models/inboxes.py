"""A person's inbox behind the bell: the unread count and the latest messages."""

from sqlmodel import Session, col, func, select

from models import Appointment, AppointmentStatus, Notification

from ..clinic import Clinic
from .values import Inbox, Message

INBOX_SIZE = 20


def inbox_of(clinic: Clinic, user_id: int) -> Inbox:
    """Return a person's inbox (no permission check: callers decide whose inbox they may read)."""
    with clinic.db.reading() as session:
        return inbox_in_session(session, user_id)


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
    held = session.exec(
        select(Appointment.id).where(Appointment.patient_id == user_id, Appointment.status == AppointmentStatus.held)
    ).all()
    return Inbox(
        held=tuple(sorted(i for i in held if i is not None)),
        unread=unread,
        messages=tuple(
            Message(id=n.id, text=n.message, created_at=n.created_at, read=n.read_at is not None)
            for n in rows
            if n.id is not None
        ),
    )
