"""Sign-up, sign-in and staff accounts."""

import logging
import secrets
from datetime import time, timedelta

from pwdlib import PasswordHash
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, func, select

from models import Doctor, LoginFailure, Role, User, WorkingHours

from .access import load_actor, require_front_desk
from .clinic import Clinic
from .errors import InvalidInput, NotAllowed, SignInRefused
from .read_models.values import DoctorCard, Person
from .validation import check_password, clean_email, clean_text

log = logging.getLogger(__name__)

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash('not-a-real-password')
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
ALLOWED_SLOT_MINUTES = (10, 15, 20, 30, 45, 60, 90, 120)
STANDARD_HOURS = ((time(9), time(12)), (time(13), time(17)))


def register_patient(clinic: Clinic, *, email: str, full_name: str, password: str) -> Person:
    """Create a patient account (self sign-up)."""
    return create_account(clinic, email=email, full_name=full_name, password=password, role=Role.patient)


def sign_in(clinic: Clinic, *, email: str, password: str) -> Person:
    """Check an email and password; after repeated failures, refuse for a while without saying if the email exists."""
    address = (email or '').strip().lower()
    with clinic.db.reading() as session:
        since = clinic.now() - FAILURE_WINDOW
        failures = session.exec(
            select(func.count())
            .select_from(LoginFailure)
            .where(LoginFailure.email == address, col(LoginFailure.failed_at) > since)
        ).one()
        user = session.exec(select(User).where(User.email == address)).first()
    if failures >= MAX_FAILURES:
        raise SignInRefused('Too many failed sign-in attempts. Please wait 15 minutes and try again.')
    # verify against a dummy hash for unknown emails too, so the answer takes as long either way
    valid = _hasher.verify(password or '', user.password_hash if user else _DUMMY_HASH)
    with clinic.db.writing() as session:
        if not valid or user is None or not user.is_active:
            session.add(LoginFailure(email=address, failed_at=clinic.now()))
        else:
            for old in session.exec(select(LoginFailure).where(LoginFailure.email == address)):
                session.delete(old)
    if not valid or user is None or not user.is_active:
        raise SignInRefused('Wrong email or password.')
    with clinic.db.reading() as session:
        return load_actor(session, user.id)


def signed_in_person(clinic: Clinic, *, user_id: int | None) -> Person | None:
    """Return who is signed in, or None if the account is gone or deactivated."""
    if user_id is None:
        return None
    with clinic.db.reading() as session:
        try:
            return load_actor(session, user_id)
        except NotAllowed:
            return None


def create_doctor(
    clinic: Clinic,
    *,
    actor_id: int,
    email: str,
    full_name: str,
    specialty: str,
    password: str,
    slot_minutes: int = 30,
) -> DoctorCard:
    """Create a doctor account with the clinic's standard weekday hours (admins only)."""
    specialty = clean_text(specialty, field='specialty', label='Specialty', required=True, limit=120)
    if slot_minutes not in ALLOWED_SLOT_MINUTES:
        raise InvalidInput('Choose a slot length from the list.', field='slot_minutes')
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
    person = create_account(
        clinic,
        email=email,
        full_name=full_name,
        password=password,
        role=Role.doctor,
        specialty=specialty,
        slot_minutes=slot_minutes,
    )
    with clinic.db.reading() as session:
        doctor, user = session.exec(
            select(Doctor, User).join(User, col(User.id) == Doctor.user_id).where(Doctor.user_id == person.id)
        ).one()
        return DoctorCard.of(doctor, user)


def ensure_first_admin(clinic: Clinic) -> str | None:
    """On an empty database, create the first admin; return a one-time message if a password was generated."""
    with clinic.db.reading() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
    settings = clinic.settings
    email = settings.admin_email or 'admin@clinic.local'
    password = settings.admin_password or secrets.token_urlsafe(12)
    create_account(clinic, email=email, full_name='Clinic Admin', password=password, role=Role.admin)
    if settings.admin_password:
        return None
    return (
        f'Created the first admin account {email} with the one-time password: {password}  (change it after signing in)'
    )


def create_account(
    clinic: Clinic,
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    specialty: str = '',
    slot_minutes: int = 30,
) -> Person:
    address = clean_email(email)
    name = clean_text(full_name, field='full_name', label='Name', required=True, limit=200)
    secret = check_password(password)
    password_hash = _hasher.hash(secret)
    try:
        with clinic.db.writing() as session:
            if session.exec(select(User.id).where(User.email == address)).first() is not None:
                raise InvalidInput('This email is already registered. Sign in instead.', field='email')
            user = User(email=address, full_name=name, role=role, password_hash=password_hash)
            session.add(user)
            session.flush()
            assert user.id is not None
            if role is Role.doctor:
                doctor = Doctor(user_id=user.id, specialty=specialty, slot_minutes=slot_minutes)
                session.add(doctor)
                session.flush()
                assert doctor.id is not None
                for weekday in range(5):
                    for start, end in STANDARD_HOURS:
                        session.add(WorkingHours(doctor_id=doctor.id, weekday=weekday, start_time=start, end_time=end))
    except IntegrityError as error:
        raise InvalidInput('This email is already registered. Sign in instead.', field='email') from error
    log.info('created %s account %s', role.value, address)
    return Person(id=user.id, email=address, full_name=name, role=role)
