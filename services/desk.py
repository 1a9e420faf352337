"""The front desk's patients: finding one as the desk types, and registering a caller or walk-in without an account.

A patient the desk registers has no password (`password_hash == ''`: nothing signs in with it) until they claim the
account through a password link (services/password_resets.py), keeping what the desk booked. An email given at the
desk counts as confirmed: the desk saw the person, and a later self sign-up with that address then only gets a
notice, so nobody else can take the account (and its appointments) over by signing up with it.
"""

import re

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from models import Role, User

from .access import load_actor, require_front_desk, require_may_book_for
from .audit import record
from .clinic import Clinic
from .errors import ClinicError, InvalidInput
from .i18n import N_, N_plural
from .read_models.patients import PatientCard, cards_of, find_patients
from .validation import EveryProblem, clean_email, clean_text

MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 15  # a local number at the shortest, E.164 at the longest
_PHONE_SEPARATORS = re.compile(r'[\s\-./()]')


class PossibleDuplicates(ClinicError):
    """Patients with the same name and phone, or the same email, exist: the desk picks one or creates anyway."""

    def __init__(self, matches: list[PatientCard], *, email_taken: bool) -> None:
        if email_taken:
            one, many = N_plural(
                '{count} patient with this email already exists.', '{count} patients with this email already exist.'
            )
        else:
            one, many = N_plural(
                '{count} patient with this name and phone already exists.',
                '{count} patients with this name and phone already exist.',
            )
        super().__init__(one, many=many, count=len(matches))
        self.matches = matches
        self.email_taken = email_taken  # then only picking the existing patient is possible: an email is unique


def search_patients(clinic: Clinic, *, actor_id: int, text: str) -> list[PatientCard]:
    """Return the active patients whose name, email or phone matches `text` (at most FOUND_LIMIT)."""
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        return find_patients(session, text[:200], now=clinic.now())


def patient_card(clinic: Clinic, *, actor_id: int, patient_id: int) -> PatientCard:
    """Return one active patient as the desk sees them."""
    with clinic.db.reading() as session:
        patient = require_may_book_for(session, load_actor(session, actor_id), patient_id)
        return cards_of(session, [session.get_one(User, patient.id)], now=clinic.now())[0]


def register_patient_at_desk(
    clinic: Clinic,
    *,
    actor_id: int,
    full_name: str,
    phone: str,
    email: str | None = None,
    confirmed_duplicate: bool = False,
) -> PatientCard:
    """Register a patient who has no account (a phone caller, a walk-in): name and phone, email optional.

    Refuses with every problem at once (InvalidInputs); with `PossibleDuplicates` when the name and phone, or the
    email, match a patient already there, unless the desk `confirmed_duplicate` (never for a taken email).
    """
    found = EveryProblem()
    name = found.check(clean_text, full_name, field='full_name', label=N_('Name'), required=True, limit=200)
    number = found.check(normalise_phone, phone)
    address = found.check(clean_email, email) if (email or '').strip() else ''
    found.raise_them()
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        _refuse_duplicates(session, clinic, name, number, address, confirmed=confirmed_duplicate)
        user = User(
            email=address or None,
            full_name=name,
            phone=number,
            role=Role.patient,
            password_hash='',
            created_at=clinic.now(),
            email_confirmed_at=clinic.now() if address else None,
        )
        session.add(user)
        session.flush()
        record(session, clinic, actor=actor, action='patient.registered', after={'patient': name, 'phone': number})
        return cards_of(session, [user], now=clinic.now())[0]


def normalise_phone(value: str | None) -> str:
    """A phone number as digits, with a leading + for an international one ('0049 30 12-34' -> '+49301234')."""
    text = _PHONE_SEPARATORS.sub('', (value or '').strip())
    if not text:
        raise InvalidInput(N_('Phone is required.'), field='phone')
    if text.startswith('00'):
        text = '+' + text[2:]
    digits = text.removeprefix('+')
    if not digits.isdigit() or not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS:
        raise InvalidInput(
            N_('Enter a phone number of {least} to {most} digits, like +49 30 1234567.'),
            field='phone',
            least=MIN_PHONE_DIGITS,
            most=MAX_PHONE_DIGITS,
        )
    return text


def _refuse_duplicates(session: Session, clinic: Clinic, name: str, phone: str, email: str, *, confirmed: bool) -> None:
    if email:
        owner = session.exec(select(User).where(User.email == email)).first()
        if owner is not None and (owner.role is not Role.patient or not owner.is_active):
            raise InvalidInput(N_('An account with this email already exists.'), field='email')
        if owner is not None:
            raise PossibleDuplicates(cards_of(session, [owner], now=clinic.now()), email_taken=True)
    if confirmed:
        return
    same = session.exec(
        select(User)
        .where(
            User.role == Role.patient,
            col(User.is_active),
            func.lower(User.full_name) == name.lower(),
            or_(User.phone == phone, User.phone == phone.removeprefix('+')),
        )
        .order_by(col(User.id))
    ).all()
    if same:
        raise PossibleDuplicates(cards_of(session, same, now=clinic.now()), email_taken=False)
