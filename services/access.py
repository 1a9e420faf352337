"""Who is acting, and what they may touch; every service checks here, whatever the page already did."""

from sqlmodel import Session, select

from models import Doctor, Role, User

from .errors import NotAllowed, NotFound, SessionEnded
from .views import Person


def load_actor(session: Session, actor_id: int | None) -> Person:
    """Return the signed-in person, refusing anyone unknown or deactivated."""
    user = session.get(User, actor_id) if actor_id is not None else None
    if user is None or not user.is_active or user.id is None:
        raise SessionEnded('Please sign in again: your session is no longer valid.')
    doctor_id = None
    if user.role is Role.doctor:
        doctor_id = session.exec(select(Doctor.id).where(Doctor.user_id == user.id)).first()
    return Person(id=user.id, email=user.email, full_name=user.full_name, role=user.role, doctor_id=doctor_id)


def require_role(actor: Person, *roles: Role) -> None:
    if actor.role not in roles:
        raise NotAllowed('You are not allowed to do this.')


def require_schedule_access(session: Session, actor: Person, doctor_id: int) -> Doctor:
    """Return the doctor if the actor may change their schedule: the doctor themself, or an admin."""
    if actor.role is Role.patient or (actor.role is Role.doctor and actor.doctor_id != doctor_id):
        raise NotAllowed('You can only change your own schedule.')
    doctor = session.get(Doctor, doctor_id)
    if doctor is None:
        raise NotFound('Unknown doctor.', field='doctor')
    return doctor
