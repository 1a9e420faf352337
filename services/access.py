"""Every permission rule of the clinic: who is acting, and what they may see and touch.

Each use case loads its actor here and asks one of these rules, whatever the page already showed or hid.
"""

from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from models import Appointment, AppointmentStatus, Doctor, Role, User

from .clinic import Clinic
from .errors import InvalidInput, NotAllowed, NotFound, SessionEnded
from .i18n import N_, N_plural
from .read_models.appointments import ListKey
from .read_models.values import Person
from .slot_engine import local_day_bounds


def load_actor(session: Session, actor_id: int | None) -> Person:
    """Return the signed-in person, refusing anyone unknown or deactivated."""
    user = session.get(User, actor_id) if actor_id is not None else None
    if user is None or not user.is_active or user.id is None:
        raise SessionEnded(N_('Please sign in again: your session is no longer valid.'))
    doctor_id = None
    if user.role is Role.doctor:
        doctor_id = session.exec(select(Doctor.id).where(Doctor.user_id == user.id)).first()
    return Person(
        id=user.id,
        email=user.email or '',
        full_name=user.full_name,
        role=user.role,
        doctor_id=doctor_id,
        language=user.language,
    )


def require_role(actor: Person, *roles: Role) -> None:
    if actor.role not in roles:
        raise NotAllowed(N_('You are not allowed to do this.'))


def require_patient(actor: Person) -> None:
    """Only a patient books for themself (the front desk books through its own use cases)."""
    require_role(actor, Role.patient)


def require_confirmed_email(session: Session, actor: Person) -> None:
    """Only an account whose email was confirmed books: a self sign-up must first open the link sent to its address,
    so nobody holds the clinic's time with accounts made up by the dozen, or made with someone else's address."""
    confirmed_at = session.exec(select(User.email_confirmed_at).where(User.id == actor.id)).first()
    if confirmed_at is None:
        raise NotAllowed(N_('Confirm your email address first: we sent you a link.'))


def require_front_desk(actor: Person) -> None:
    """Only the front desk (an admin) creates doctor accounts and reads the audit trail."""
    require_role(actor, Role.admin)


def require_may_book_for(session: Session, actor: Person, patient_id: int) -> Person:
    """Return the patient the front desk books, moves or registers for: only an admin, only an active patient."""
    require_front_desk(actor)
    patient = session.get(User, patient_id)
    if patient is None or patient.id is None or patient.role is not Role.patient or not patient.is_active:
        raise NotFound(N_('There is no active patient like this.'), field='patient')
    return Person(id=patient.id, email=patient.email or '', full_name=patient.full_name, role=Role.patient)


def require_room_to_hold(
    session: Session,
    clinic: Clinic,
    patient_id: int,
    *,
    doctor_id: int,
    day: date,
    adds_one: bool,
    besides: int | None = None,
) -> None:
    """Refuse a patient more booked appointments than the clinic allows: upcoming ones in total (when this adds
    one), and with one doctor on one local day (not counting `besides`, the appointment an earlier time replaces).

    Counted inside the booking's write transaction, which holds the clinic's write lock, so parallel requests
    from one patient are counted one after the other and cannot overshoot.
    """
    limits = clinic.settings
    if adds_one:
        held = _count_booked(session, patient_id, col(Appointment.ends_at) > clinic.now())
        if held >= limits.max_future_bookings:
            if held == limits.max_future_bookings:
                full = N_(
                    'You already have {held} upcoming appointments, the most the clinic allows. Cancel one to book '
                    'another.'
                )
            else:
                full = N_(
                    'You already have {held} upcoming appointments, more than the {most} the clinic allows. Cancel one '
                    'to book another.'
                )
            raise InvalidInput(full, field='slot', held=held, most=limits.max_future_bookings)
    starts, ends = local_day_bounds(day, clinic.tz)
    that_day = (
        Appointment.doctor_id == doctor_id,
        col(Appointment.starts_at) >= starts,
        col(Appointment.starts_at) < ends,
    )
    others = () if besides is None else (col(Appointment.id) != besides,)
    same_day = _count_booked(session, patient_id, *that_day, *others)
    if same_day >= limits.max_bookings_per_doctor_day:
        doctor = session.exec(
            select(User.full_name).join(Doctor, col(Doctor.user_id) == User.id).where(Doctor.id == doctor_id)
        ).one()
        if same_day == limits.max_bookings_per_doctor_day == 1:  # name the one the patient has
            first = session.exec(
                select(Appointment.starts_at).where(
                    Appointment.patient_id == patient_id, Appointment.status == AppointmentStatus.booked, *that_day
                )
            ).one()
            raise InvalidInput(
                N_(
                    'You already have an appointment with {doctor} on {day} at {time}, and the clinic allows one '
                    'appointment with one doctor on one day. Please choose another day.'
                ),
                field='date',
                doctor=doctor,
                day=day,
                time=f'{first.astimezone(clinic.tz):%H:%M}',
            )
        one, many = N_plural(
            'You already have {count} appointment with {doctor} on {day}, the most the clinic allows with one doctor '
            'on one day. Please choose another day.',
            'You already have {count} appointments with {doctor} on {day}, the most the clinic allows with one doctor '
            'on one day. Please choose another day.',
        )
        raise InvalidInput(one, many=many, field='date', count=same_day, doctor=doctor, day=day)


def require_schedule_access(session: Session, actor: Person, doctor_id: int) -> Doctor:
    """Return the doctor if the actor may see and change their schedule: the doctor themself, or an admin."""
    if actor.role is Role.patient or (actor.role is Role.doctor and actor.doctor_id != doctor_id):
        raise NotAllowed(N_('You can only change your own schedule.'))
    doctor = session.get(Doctor, doctor_id)
    if doctor is None:
        raise NotFound(N_('Unknown doctor.'), field='doctor')
    return doctor


def require_own_schedule(actor: Person) -> int:
    """Return the doctor id of a signed-in doctor's own schedule."""
    require_role(actor, Role.doctor)
    if actor.doctor_id is None:
        raise NotFound(N_('This doctor account has no schedule yet.'))
    return actor.doctor_id


def require_may_move(actor: Person, appointment: Appointment | None) -> Appointment:
    """Return the appointment if the actor may move it: its patient, or the front desk."""
    if appointment is None or not (actor.role is Role.admin or appointment.patient_id == actor.id):
        raise NotFound(N_('This appointment does not exist or is not yours.'))
    return appointment


def require_may_cancel(actor: Person, appointment: Appointment | None) -> Appointment:
    """Return the appointment if the actor may cancel it: patients their own, doctors theirs, admins any."""
    if appointment is None or not _may_cancel(actor, appointment):
        raise NotFound(N_('This appointment does not exist or is not yours.'))
    return appointment


def require_may_mark_no_show(actor: Person, appointment: Appointment | None) -> Appointment:
    """Return the appointment if the actor may mark its patient absent: its doctor, or the front desk."""
    if appointment is None:
        raise NotFound(N_('This appointment does not exist.'))
    if not (actor.role is Role.admin or (actor.role is Role.doctor and actor.doctor_id == appointment.doctor_id)):
        raise NotAllowed(N_('Only the doctor or the front desk can mark a no-show.'))
    return appointment


def visible_appointments(actor: Person) -> ListKey:
    """Return which appointments a person may follow: a patient's own, a doctor's own, all for an admin."""
    if actor.role is Role.patient:
        return ('patient', actor.id)
    if actor.role is Role.doctor and actor.doctor_id is not None:
        return ('doctor', actor.doctor_id)
    if actor.role is Role.admin:
        return ('all', 0)
    raise NotAllowed(N_('This account has no appointments to show.'))


def _count_booked(session: Session, patient_id: int, *where: Any) -> int:
    query = select(func.count()).select_from(Appointment)
    query = query.where(Appointment.patient_id == patient_id, Appointment.status == AppointmentStatus.booked)
    return session.exec(query.where(*where)).one()


def _may_cancel(actor: Person, appointment: Appointment) -> bool:
    if actor.role is Role.admin:
        return True
    if actor.role is Role.doctor:
        return appointment.doctor_id == actor.doctor_id
    return appointment.patient_id == actor.id
