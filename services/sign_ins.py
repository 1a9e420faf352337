"""Which browsers are signed in, and as whom.

Kept in the database, so every app process of a clinic group sees the same sign-ins: a browser whose process
died is served by another and is still signed in, and signing out ends the sign-in everywhere at once.
A browser is known by the id in its signed session cookie (every process shares the secret that signs it); the
table keeps only a SHA-256 of that id, so a copy of the database signs nobody in.

Signing in happens in two steps, because the browser must get a new id at sign-in (a cookie planted before would
otherwise become the person's session) and only an HTTP response can give it one: the sign-in page opens a
one-time ticket, and the browser that redeems it, still holding the old id, is signed in under its new id.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlmodel import Session, col, delete

from models import SignIn

from .accounts import signed_in_person
from .clinic import Clinic
from .errors import SessionEnded
from .i18n import N_
from .read_models.values import Person

KEPT_FOR = timedelta(days=14)  # as long as the session cookie itself is valid (Starlette's default max age)
TICKET_VALID_FOR = timedelta(minutes=2)  # the browser redeems it right after signing in


def open_sign_in(clinic: Clinic, *, browser_id: str, person_id: int) -> str:
    """Return a one-time ticket that signs in, as this person, the browser holding `browser_id` that redeems it."""
    ticket = secrets.token_urlsafe(32)
    with clinic.db.writing() as session:
        session.add(SignIn(browser_id=_ticket_key(ticket, browser_id), user_id=person_id, signed_in_at=clinic.now()))
    return ticket


def redeem_sign_in(clinic: Clinic, *, ticket: str, browser_id: str, new_browser_id: str) -> Person | None:
    """Sign in `new_browser_id` with a ticket opened for `browser_id`; once, and only briefly; return who."""
    with clinic.db.writing() as session:
        pending = session.get(SignIn, _ticket_key(ticket, browser_id))
        if pending is None:
            return None
        session.delete(pending)
        user_id, opened_at = pending.user_id, pending.signed_in_at
    if opened_at < clinic.now() - TICKET_VALID_FOR:
        return None
    person = signed_in_person(clinic, user_id=user_id)
    if person is not None:
        remember_sign_in(clinic, browser_id=new_browser_id, person_id=person.id)
    return person


def remember_sign_in(clinic: Clinic, *, browser_id: str, person_id: int) -> None:
    """This browser is now signed in as this person (replacing whoever it was signed in as)."""
    key = _key(browser_id)
    with clinic.db.writing() as session:
        session.execute(delete(SignIn).where(col(SignIn.browser_id) == key))
        session.add(SignIn(browser_id=key, user_id=person_id, signed_in_at=clinic.now()))


def end_other_sign_ins(session: Session, *, person_id: int, browser_id: str) -> None:
    """Sign every browser of this person out but `browser_id`'s, inside the caller's transaction."""
    session.execute(delete(SignIn).where(col(SignIn.user_id) == person_id, col(SignIn.browser_id) != _key(browser_id)))


def forget_sign_in(clinic: Clinic, *, browser_id: str) -> None:
    with clinic.db.writing() as session:
        session.execute(delete(SignIn).where(col(SignIn.browser_id) == _key(browser_id)))


def person_signed_in(clinic: Clinic, *, browser_id: str | None) -> Person | None:
    """Who this browser is signed in as; None if nobody, or if the account was deactivated (which signs it out)."""
    if not browser_id:
        return None
    with clinic.db.reading() as session:
        sign_in = session.get(SignIn, _key(browser_id))
    if sign_in is None:
        return None
    if sign_in.signed_in_at < clinic.now() - KEPT_FOR:  # the cookie has expired too: sign in again
        forget_sign_in(clinic, browser_id=browser_id)
        return None
    person = signed_in_person(clinic, user_id=sign_in.user_id)
    if person is None:
        forget_sign_in(clinic, browser_id=browser_id)
    return person


def require_sign_in(clinic: Clinic, *, browser_id: str, person: Person) -> None:
    """Refuse (SessionEnded) unless this browser is still signed in as this person, in the same role."""
    now_signed_in = person_signed_in(clinic, browser_id=browser_id)
    if now_signed_in is None or (now_signed_in.id, now_signed_in.role) != (person.id, person.role):
        raise SessionEnded(N_('Please sign in again: your session is no longer valid.'))


def forget_stale_sign_ins(clinic: Clinic) -> int:
    """Delete sign-ins older than their cookies can be (browsers that never signed out); return how many."""
    with clinic.db.writing() as session:
        result = session.execute(delete(SignIn).where(col(SignIn.signed_in_at) < clinic.now() - KEPT_FOR))
        return int(cast(CursorResult[Any], result).rowcount or 0)


def _key(browser_id: str) -> str:
    return hashlib.sha256(browser_id.encode()).hexdigest()


def _ticket_key(ticket: str, browser_id: str) -> str:
    return hashlib.sha256(f'sign-in ticket {ticket} for {browser_id}'.encode()).hexdigest()
