"""Sign-up, sign-in and staff accounts."""

import asyncio
import functools
import logging
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time

from pwdlib import PasswordHash
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from models import Doctor, Role, User, WorkingHours

from .access import load_actor, require_front_desk
from .clinic import Clinic
from .closures import close_for_new_doctor
from .email_checks import answer_to_sign_up, end_sign_ins, open_link, queue_confirmation_link, queue_sign_up_notice
from .errors import InvalidInput, NotAllowed, SignInRefused
from .i18n import N_, SOURCE_LANGUAGE
from .live.events import DoctorsChanged, MailQueued
from .read_models.values import DoctorCard, Person
from .sign_in_limits import MAX_CLIENT, forget_failures, record_attempt, refuse_if_waiting
from .validation import EveryProblem, check_password, clean_email, clean_text, sign_in_input
from .visit_types import add_default_type

log = logging.getLogger(__name__)

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash('not-a-real-password')
HASHES_AT_ONCE = 2  # each takes ~0.25 s of one core and 64 MiB: more at once would only starve everything else
# Process-wide on purpose, as they bound the whole process: every hash (sign-in, sign-up, new staff) takes a turn of
# `_hashing`; sign-ins and sign-ups from pages wait in lines of their own threads, so a crowd of them holds none of the
# threads every other page's service calls run in (nor does a slow mail server).
_hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)
_signing_in = ThreadPoolExecutor(max_workers=HASHES_AT_ONCE, thread_name_prefix='sign-in')
_signing_up = ThreadPoolExecutor(max_workers=HASHES_AT_ONCE, thread_name_prefix='sign-up')
LOCAL = 'local'  # the client of a sign-in from inside the process (a script, a test)
WRONG = N_('Wrong email or password.')
SIGN_IN_INSTEAD = N_('This email is already registered. Sign in instead.')
ALREADY_AN_ACCOUNT = N_('An account with this email already exists.')
ALLOWED_SLOT_MINUTES = (10, 15, 20, 30, 45, 60, 90, 120)
STANDARD_HOURS = ((time(9), time(12)), (time(13), time(17)))


def register_patient(clinic: Clinic, *, email: str, full_name: str, password: str, language: str | None = None) -> str:
    """Start a patient's self sign-up; return the answer to show, which never says whether the email had an account.

    The address is written to instead (email_checks.py): a new address gets an unconfirmed account and a link that
    confirms it; an unconfirmed one (perhaps signed up by someone else) gets this sign-up's name and password and a
    new link, which only its mailbox's owner can open; a confirmed one only gets a notice, and nothing changes.
    The answer and the link are in `language` (the sign-up page's; English without one), which the unconfirmed
    account keeps as its own (when the clinic offers it) for its e-mails and reminders; the notice is in the
    account's own language.
    """
    address, name, secret = _account_input(email, full_name, password)
    kept = language if language in clinic.settings.offered_languages else None
    with _hashing:  # in every case, so the answer takes as long whether or not the email has an account
        password_hash = _hasher.hash(secret)
    try:
        with clinic.db.writing() as session:
            user = existing = session.exec(select(User).where(User.email == address)).first()
            if user is None:
                user = User(
                    email=address,
                    full_name=name,
                    role=Role.patient,
                    password_hash=password_hash,
                    created_at=clinic.now(),
                    language=kept,  # the sign-up page's: their e-mails and reminders go out in it
                )
            elif user.role is Role.patient and user.email_confirmed_at is None and user.is_active:
                user.full_name, user.password_hash = name, password_hash
                user.language = kept  # the new sign-up's, like its name and password
            else:
                user = None
            if user is not None:
                session.add(user)
                session.flush()
                assert user.id is not None
                end_sign_ins(session, user.id)  # a replaced sign-up's password signs nobody in any more
                token = open_link(session, clinic, user.id)
                queue_confirmation_link(session, clinic, to=address, token=token, language=user.language or language)
            else:
                queue_sign_up_notice(session, clinic, to=address, language=existing.language if existing else None)
    except IntegrityError:  # another sign-up with this new address was saved meanwhile: its link is on the way
        return answer_to_sign_up(address, language or SOURCE_LANGUAGE)
    clinic.hub.publish(MailQueued())
    return answer_to_sign_up(address, language or SOURCE_LANGUAGE)


async def register_patient_in_turn(
    clinic: Clinic, *, email: str, full_name: str, password: str, language: str | None = None
) -> str:
    """`register_patient`, waiting in a line of its own threads (for the hashing), never in the shared ones."""
    attempt = functools.partial(
        register_patient, clinic, email=email, full_name=full_name, password=password, language=language
    )
    return await asyncio.get_running_loop().run_in_executor(_signing_up, attempt)


def sign_in(clinic: Clinic, *, email: str, password: str, client: str = LOCAL) -> Person:
    """Check an email and password from `client` (the address it came from), slowing down repeated failures
    (sign_in_limits.py); never say whether the email exists."""
    given = sign_in_input(email, password)
    if given is None:  # too long, or no email at all: no account has it, so nothing is stored or hashed
        raise SignInRefused(WRONG)
    address, secret = given
    client = client[:MAX_CLIENT]
    with clinic.db.reading() as session:
        refuse_if_waiting(session, email=address, client=client, now=clinic.now())
    with clinic.db.writing() as session:
        record_attempt(session, email=address, client=client, now=clinic.now())
        user = session.exec(select(User).where(User.email == address)).first()
    # verify against a dummy hash for unknown emails, unclaimed accounts (no password yet, '') and deactivated ones
    # too, so the answer takes as long and reads alike in every case
    usable = user is not None and user.is_active and user.password_hash != ''
    valid = _verify(secret, user.password_hash if user is not None and usable else _DUMMY_HASH)
    if not valid or not usable or user is None:
        raise SignInRefused(WRONG)  # the attempt stays recorded as a failure
    with clinic.db.writing() as session:
        forget_failures(session, email=address, client=client)
    with clinic.db.reading() as session:
        return load_actor(session, user.id)


async def sign_in_in_turn(clinic: Clinic, *, email: str, password: str, client: str) -> Person:
    """`sign_in`, waiting for its turn in the sign-in line (HASHES_AT_ONCE threads of its own)."""
    attempt = functools.partial(sign_in, clinic, email=email, password=password, client=client)
    return await asyncio.get_running_loop().run_in_executor(_signing_in, attempt)


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
    """Create a doctor account with the clinic's standard weekday hours (admins only); every problem with the input
    is refused at once (InvalidInputs), and an email that has an account is said plainly, as the admin reads it."""
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
    problems = EveryProblem()
    _account_input(email, full_name, password, problems=problems)
    specialty = problems.check(
        clean_text, specialty, field='specialty', label=N_('Specialty'), required=True, limit=120
    )
    if slot_minutes not in ALLOWED_SLOT_MINUTES:
        problems.problems.append(InvalidInput(N_('Choose a slot length from the list.'), field='slot_minutes'))
    problems.raise_them()
    person = create_account(
        clinic,
        email=email,
        full_name=full_name,
        password=password,
        role=Role.doctor,
        specialty=specialty,
        slot_minutes=slot_minutes,
        taken=ALREADY_AN_ACCOUNT,
    )
    with clinic.db.reading() as session:
        doctor, user = session.exec(
            select(Doctor, User).join(User, col(User.id) == Doctor.user_id).where(Doctor.user_id == person.id)
        ).one()
        card = DoctorCard.of(doctor, user)
    clinic.hub.publish(DoctorsChanged(doctor_id=card.id))  # open booking pages offer the new doctor
    return card


def ensure_first_admin(clinic: Clinic) -> str | None:
    """On an empty database, create the first admin; return a one-time message if a password was generated."""
    with clinic.db.reading() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return None
    settings = clinic.settings
    email = settings.admin_email or 'admin@clinic.local'
    password = settings.admin_password or secrets.token_urlsafe(12)
    try:
        create_account(clinic, email=email, full_name='Clinic Admin', password=password, role=Role.admin)
    except InvalidInput as refused:  # the operator's own choice: say which setting to change
        raise InvalidInput(
            N_('CLINIC_ADMIN_EMAIL / CLINIC_ADMIN_PASSWORD: {problem}'), field=refused.field, problem=refused.message
        ) from None
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
    taken: str = SIGN_IN_INSTEAD,
    password_policy: bool = True,
) -> Person:
    """Create an account the clinic vouches for (staff, the first admin, the demo, scripts): its email counts as
    confirmed. Patients signing themselves up go through `register_patient`. An email that has an account is
    refused with `taken`. Only the demo clinic, whose published password is shorter, passes `password_policy=False`."""
    if password_policy:
        address, name, secret = _account_input(email, full_name, password)
    else:
        address = clean_email(email)
        name = clean_text(full_name, field='full_name', label=N_('Name'), required=True, limit=200)
        secret = password
    with _hashing:
        password_hash = _hasher.hash(secret)
    try:
        with clinic.db.writing() as session:
            if session.exec(select(User.id).where(User.email == address)).first() is not None:
                raise InvalidInput(taken, field='email')
            user = User(
                email=address,
                full_name=name,
                role=role,
                password_hash=password_hash,
                email_confirmed_at=clinic.now(),  # made by the clinic (staff, first start, demo), not self sign-up
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            if role is Role.doctor:
                doctor = Doctor(user_id=user.id, specialty=specialty, slot_minutes=slot_minutes)
                session.add(doctor)
                session.flush()
                assert doctor.id is not None
                add_default_type(
                    session, doctor_id=doctor.id, slot_minutes=slot_minutes, language=clinic.settings.default_language
                )
                close_for_new_doctor(session, clinic, doctor_id=doctor.id)
                for weekday in range(5):
                    for start, end in STANDARD_HOURS:
                        session.add(WorkingHours(doctor_id=doctor.id, weekday=weekday, start_time=start, end_time=end))
    except IntegrityError as error:
        raise InvalidInput(taken, field='email') from error
    log.info('created %s account %s', role.value, address)
    return Person(id=user.id, email=address, full_name=name, role=role)


def _account_input(
    email: str, full_name: str, password: str, *, problems: EveryProblem | None = None
) -> tuple[str, str, str]:
    """The cleaned email, name and password of a new account, or InvalidInputs naming every field that breaks a rule
    (added to `problems` instead, when given)."""
    found = problems or EveryProblem()
    address = found.check(clean_email, email)
    name = found.check(clean_text, full_name, field='full_name', label=N_('Name'), required=True, limit=200)
    personal = [address, address.partition('@')[0], *name.split()]
    secret = found.check(check_password, password, personal=[word for word in personal if word])
    if problems is None:
        found.raise_them()
    return address, name, secret


def hash_password(password: str) -> str:
    """Hash a password that passed the policy, taking a turn with every other hash of the process."""
    with _hashing:
        return _hasher.hash(password)


def check_password_of(clinic: Clinic, *, user_id: int, password: str) -> bool:
    """Whether `password` is the account's current one (an account without a password has none)."""
    with clinic.db.reading() as session:
        password_hash = session.exec(select(User.password_hash).where(User.id == user_id)).first()
    return _verify(password, password_hash or _DUMMY_HASH) and bool(password_hash)


def _verify(password: str, password_hash: str) -> bool:
    with _hashing:
        return _hasher.verify(password, password_hash)
