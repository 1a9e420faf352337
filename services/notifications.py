"""The in-app inbox behind the bell: reading it, marking messages read, and telling a patient of a cancellation."""

from sqlmodel import Session, col, select, update

from models import Appointment, Notification, User

from .access import load_actor
from .clinic import Clinic
from .i18n import translator, when_in
from .live.events import InboxChanged
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


def language_of_user(session: Session, clinic: Clinic, user_id: int) -> str:
    """The language to write to a person in: theirs, if they chose one the clinic offers, else the clinic's."""
    return clinic.language_of(session.exec(select(User.language).where(User.id == user_id)).first())


def tell_cancelled(session: Session, clinic: Clinic, appointment: Appointment, by: str) -> None:
    """Put a cancellation notice in the patient's inbox (inside the cancelling transaction), with the reason given,
    in the patient's language (the reason, one of the clinic's or the patient's own words, translated if it is the
    clinic's)."""
    info = describe(session, appointment)
    language = language_of_user(session, clinic, info.patient_id)
    _ = translator(language)
    why = f' {_(info.cancel_reason)}' if info.cancel_reason else ''
    when = when_in(language, info.starts_at, clinic.tz)
    session.add(
        Notification(
            user_id=info.patient_id,
            appointment_id=info.id,
            kind='cancelled',
            created_at=clinic.now(),
            message=_(
                'Your appointment with {doctor} on {when} was cancelled by {by}.',
                doctor=info.doctor_name,
                when=when,
                by=by,
            )
            + why,
        )
    )


def tell_by_desk(session: Session, clinic: Clinic, appointment: Appointment, *, by: str, moved: bool = False) -> None:
    """Put a booking or a move the front desk made for the patient in their inbox (inside its transaction), in the
    patient's language."""
    info = describe(session, appointment)
    language = language_of_user(session, clinic, info.patient_id)
    _ = translator(language)
    words = {'doctor': info.doctor_name, 'when': when_in(language, info.starts_at, clinic.tz), 'by': by}
    if moved:
        message = _('Your appointment with {doctor} was moved to {when} by {by}.', **words)
    else:
        message = _('Your appointment with {doctor} was booked for {when} by {by}.', **words)
    session.add(
        Notification(
            user_id=info.patient_id,
            appointment_id=info.id,
            kind='moved' if moved else 'booked',
            created_at=clinic.now(),
            message=message,
        )
    )
