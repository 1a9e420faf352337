"""The front desk manages accounts: finds them, deactivates and reactivates them, edits a doctor, adds an admin.

Every change is audited with the admin as its actor, in the changing transaction. Deactivating ends every sign-in
of the account (its pages in other processes are refused at their next action); a deactivated doctor leaves the
booking pages, which hear of it (DoctorsChanged). The last active admin cannot be deactivated: counted inside the
write transaction, which holds the clinic's write lock, so two admins deactivating each other at once leave one.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, col, func, or_, select

from models import Appointment, AppointmentStatus, Doctor, Role, User, WaitlistEntry, WaitStatus

from .access import load_actor, require_front_desk
from .accounts import ALLOWED_SLOT_MINUTES, ALREADY_AN_ACCOUNT, create_account
from .appointments import appointment_changed
from .audit import record
from .availability import InTheWay
from .booking import cancel_in_transaction
from .cancel_reasons import DOCTOR_UNAVAILABLE, PLEASE_BOOK_AGAIN
from .clinic import Clinic
from .email_checks import end_sign_ins
from .errors import AppointmentsInTheWay, InvalidInput, NotAllowed, NotFound
from .i18n import N_, translator
from .live.events import Change, DoctorsChanged, InboxChanged, ScheduleChanged
from .offers import end_entries
from .read_models.appointments import describe_many
from .read_models.values import AppointmentInfo, Person
from .validation import EveryProblem, clean_text
from .visit_types import follow_slot_length

SHOWN_AT_MOST = 50
LAST_ADMIN = N_('Nobody can deactivate the last active admin: add another admin first.')


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    full_name: str
    email: str
    phone: str
    role: Role
    is_active: bool
    doctor_id: int | None = None
    specialty: str = ''
    slot_minutes: int = 0


def list_accounts(clinic: Clinic, *, actor_id: int, search: str = '', limit: int = SHOWN_AT_MOST) -> list[AccountRow]:
    """Return accounts whose name, email or phone holds `search` (admins first, then doctors, then patients)."""
    text = (search or '').strip().lower()[:100]
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        query = select(User, Doctor).join(Doctor, col(Doctor.user_id) == User.id, isouter=True)
        if text:
            like = '%' + _escaped(text) + '%'
            query = query.where(
                or_(
                    func.lower(User.full_name).like(like, escape='\\'),
                    func.lower(col(User.email)).like(like, escape='\\'),
                    col(User.phone).like(like, escape='\\'),
                )
            )
        rows = session.exec(query.order_by(col(User.role), col(User.full_name), col(User.id)).limit(limit)).all()
        return [_row(user, doctor) for user, doctor in rows]


def set_active(
    clinic: Clinic,
    *,
    actor_id: int,
    user_id: int,
    active: bool,
    in_the_way: InTheWay | None = None,
    origin: str | None = None,
) -> AccountRow:
    """Deactivate (ending every sign-in) or reactivate an account; never the last active admin.

    Deactivating a doctor or a patient who still has booked appointments ahead asks first, like blocking time over
    them (AppointmentsInTheWay): keep them, or cancel them with each patient told, live, in the bell and by e-mail.
    """
    cancelled: list[AppointmentInfo] = []
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        user = session.get(User, user_id)
        if user is None or user.id is None:
            raise NotFound(N_('There is no such account.'), field='user')
        if user.is_active != active:
            if not active:
                if user.role is Role.admin and _active_admins(session) <= 1:
                    raise NotAllowed(LAST_ADMIN)
                cancelled = _settle_appointments(session, clinic, actor, user, in_the_way)
                _end_waiting(session, clinic, user)
                end_sign_ins(session, user.id)
            user.is_active = active
            session.add(user)
            record(
                session,
                clinic,
                actor=actor,
                action='account.reactivated' if active else 'account.deactivated',
                after={'account': user.full_name, 'role': user.role.value},
            )
        doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
        row = _row(user, doctor)
    if row.doctor_id is not None:
        clinic.hub.publish(DoctorsChanged(doctor_id=row.doctor_id))  # booking pages drop or offer the doctor
    for info in cancelled:
        clinic.hub.publish(appointment_changed(clinic, info, Change.cancelled, actor, origin))
    for patient in {info.patient_id for info in cancelled}:
        clinic.hub.publish(InboxChanged(user_id=patient))
    return row


def _end_waiting(session: Session, clinic: Clinic, user: User) -> None:
    """A deactivated patient waits no more; the patients waiting for a deactivated doctor are told and taken off."""
    doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
    if doctor is None:
        end_entries(session, clinic, patient_id=user.id)
        return
    waiting = session.exec(
        select(WaitlistEntry.patient_id, User.language)
        .join(User, col(User.id) == WaitlistEntry.patient_id)
        .where(
            WaitlistEntry.doctor_id == doctor.id,
            col(WaitlistEntry.status).in_((WaitStatus.waiting, WaitStatus.offered)),
        )
        .order_by(col(WaitlistEntry.id))
    ).all()
    for patient_id, chosen in dict.fromkeys(waiting):  # each patient told once, in their own language
        _ = translator(clinic.language_of(chosen))
        message = _(
            '{doctor} no longer takes appointments here, so you are no longer on their waitlist.',
            doctor=user.full_name,
        )
        end_entries(session, clinic, doctor_id=doctor.id, patient_id=patient_id, message=message)


def _settle_appointments(
    session: Session, clinic: Clinic, actor: Person, user: User, in_the_way: InTheWay | None
) -> list[AppointmentInfo]:
    """Apply the caller's choice to the booked appointments ahead of a person being deactivated (as doctor or
    patient); return those cancelled."""
    doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
    whose = Appointment.patient_id == user.id if doctor is None else Appointment.doctor_id == doctor.id
    ahead = session.exec(
        select(Appointment)
        .where(whose, Appointment.status == AppointmentStatus.booked, col(Appointment.ends_at) > clinic.now())
        .order_by(col(Appointment.starts_at))
    ).all()
    if not ahead or in_the_way is InTheWay.keep:
        return []
    if in_the_way is None:
        raise AppointmentsInTheWay(describe_many(session, ahead))
    reason = DOCTOR_UNAVAILABLE if doctor is not None else PLEASE_BOOK_AGAIN
    for appointment in ahead:
        cancel_in_transaction(session, clinic, appointment, actor, reason, tell_patient=True)
    return describe_many(session, ahead)


def edit_doctor(
    clinic: Clinic, *, actor_id: int, doctor_id: int, full_name: str, specialty: str, slot_minutes: int
) -> AccountRow:
    """Change a doctor's name, specialty and slot length; every problem is refused at once."""
    problems = EveryProblem()
    name = problems.check(clean_text, full_name, field='full_name', label=N_('Name'), required=True, limit=200)
    speciality = problems.check(
        clean_text, specialty, field='specialty', label=N_('Specialty'), required=True, limit=120
    )
    if slot_minutes not in ALLOWED_SLOT_MINUTES:
        problems.problems.append(InvalidInput(N_('Choose a slot length from the list.'), field='slot_minutes'))
    problems.raise_them()
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        found = session.exec(
            select(Doctor, User).join(User, col(User.id) == Doctor.user_id).where(Doctor.id == doctor_id)
        ).first()
        if found is None:
            raise NotFound(N_('Unknown doctor.'), field='doctor')
        doctor, user = found
        before = {'name': user.full_name, 'specialty': doctor.specialty, 'slot_minutes': doctor.slot_minutes}
        slot_changed = doctor.slot_minutes != slot_minutes
        follow_slot_length(session, doctor_id=doctor_id, old=doctor.slot_minutes, new=slot_minutes)
        user.full_name, doctor.specialty, doctor.slot_minutes = name, speciality, slot_minutes
        session.add(user)
        session.add(doctor)
        record(
            session,
            clinic,
            actor=actor,
            action='doctor.edited',
            doctor_id=doctor_id,
            before=before,
            after={'name': name, 'specialty': speciality, 'slot_minutes': slot_minutes},
        )
        row = _row(user, doctor)
    clinic.hub.publish(DoctorsChanged(doctor_id=doctor_id))
    if slot_changed:  # every open day of this doctor shows its times anew
        today = clinic.today()
        clinic.hub.publish(
            ScheduleChanged(
                doctor_id=doctor_id,
                day_ranges=((today, clinic.last_bookable_day() + timedelta(days=1)),),
                change=Change.hours_changed,
                actor_id=actor.id,
                actor_name=actor.full_name,
            )
        )
    return row


def add_admin(clinic: Clinic, *, actor_id: int, email: str, full_name: str, password: str) -> AccountRow:
    """Add another admin (front desk) account, under the password rule."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
    person = create_account(
        clinic, email=email, full_name=full_name, password=password, role=Role.admin, taken=ALREADY_AN_ACCOUNT
    )
    with clinic.db.writing() as session:
        record(session, clinic, actor=actor, action='account.admin_added', after={'account': person.full_name})
        user = session.get(User, person.id)
        assert user is not None
        return _row(user, None)


def _escaped(text: str) -> str:
    """`text` matched literally by LIKE (its % and _ are no wildcards)."""
    return text.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def _active_admins(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(User).where(User.role == Role.admin, col(User.is_active).is_(True))
    ).one()


def _row(user: User, doctor: Doctor | None) -> AccountRow:
    assert user.id is not None
    return AccountRow(
        id=user.id,
        full_name=user.full_name,
        email=user.email or '',
        phone=user.phone,
        role=user.role,
        is_active=user.is_active,
        doctor_id=doctor.id if doctor is not None else None,
        specialty=doctor.specialty if doctor is not None else '',
        slot_minutes=doctor.slot_minutes if doctor is not None else 0,
    )
