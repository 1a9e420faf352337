"""Everyone's own profile: their name and phone, and a new password that signs their other browsers out."""

from dataclasses import dataclass

from sqlmodel import select

from models import User

from .access import load_actor
from .accounts import check_password_of, hash_password
from .clinic import Clinic
from .desk import normalise_phone
from .errors import InvalidInput
from .i18n import N_
from .live.events import DoctorsChanged
from .read_models.values import Person
from .sign_in_limits import MAX_CLIENT, MustWait, forget_failures, record_attempt
from .sign_ins import end_other_sign_ins
from .validation import EveryProblem, check_password, clean_text

WRONG_PASSWORD = N_('This is not your current password.')


@dataclass(frozen=True, slots=True)
class Profile:
    full_name: str
    email: str
    phone: str


def profile_of(clinic: Clinic, *, actor_id: int) -> Profile:
    """Return the signed-in person's own name, email and phone."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        phone = session.exec(select(User.phone).where(User.id == actor.id)).one()
    return Profile(full_name=actor.full_name, email=actor.email, phone=phone)


def update_profile(clinic: Clinic, *, actor_id: int, full_name: str, phone: str) -> Profile:
    """Change one's own name and phone (a phone may be left empty); every problem is refused at once."""
    problems = EveryProblem()
    name = problems.check(clean_text, full_name, field='full_name', label=N_('Name'), required=True, limit=200)
    number = problems.check(normalise_phone, phone) if (phone or '').strip() else ''
    problems.raise_them()
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        user = session.get(User, actor.id)
        assert user is not None
        user.full_name, user.phone = name, number
        session.add(user)
    if actor.doctor_id is not None and name != actor.full_name:
        clinic.hub.publish(DoctorsChanged(doctor_id=actor.doctor_id))  # booking pages show the doctor's new name
    return Profile(full_name=name, email=actor.email, phone=number)


def change_password(clinic: Clinic, *, actor_id: int, browser_id: str, current: str, new: str) -> Person:
    """Change one's own password after checking the current one; sign out every other browser of the person.

    Wrong current passwords are slowed down like sign-ins (a tab left open is not a way to guess it)."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
    where = f'password change {actor.id}'[:MAX_CLIENT]
    try:
        with clinic.db.writing() as session:
            record_attempt(session, email=actor.email or '-', client=where, now=clinic.now())
    except MustWait as wait:
        raise InvalidInput(wait.template, many=wait.many, field='current', **wait.params) from None
    if not check_password_of(clinic, user_id=actor.id, password=current or ''):
        raise InvalidInput(WRONG_PASSWORD, field='current')
    personal = [actor.full_name, *actor.full_name.split()]
    if actor.email:
        personal += [actor.email, actor.email.partition('@')[0]]
    try:
        secret = check_password(new, personal=[word for word in personal if word])
    except InvalidInput as problem:  # the password rule's refusal, shown next to the new password
        problem.field = 'new'
        raise
    if secret == current:
        raise InvalidInput(N_('Choose a password other than your current one.'), field='new')
    password_hash = hash_password(secret)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        user = session.get(User, actor.id)
        assert user is not None
        user.password_hash = password_hash
        session.add(user)
        end_other_sign_ins(session, person_id=actor.id, browser_id=browser_id)
        forget_failures(session, email=actor.email or '-', client=where)
    return actor


def choose_language(clinic: Clinic, *, actor_id: int, language: str) -> None:
    """Remember the language the signed-in person reads: their pages, e-mails and reminders use it."""
    if language not in clinic.settings.offered_languages:
        raise InvalidInput(N_('Choose one of the languages offered.'), field='language')
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        user = session.get(User, actor.id)
        assert user is not None
        user.language = language
        session.add(user)
