"""Which browsers are signed in, and as whom.

Kept in the database, so every app process of a clinic group sees the same sign-ins: a browser whose process
died is served by another and is still signed in, and signing out ends the sign-in everywhere at once.
A browser is known by the id in its signed session cookie (every process shares the secret that signs it).
"""

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlmodel import col, delete, select

from models import SignIn

from .accounts import signed_in_person
from .clinic import Clinic
from .read_models.values import Person

KEPT_FOR = timedelta(days=14)  # as long as the session cookie itself is valid (Starlette's default max age)


def remember_sign_in(clinic: Clinic, *, browser_id: str, person_id: int) -> None:
    """This browser is now signed in as this person (replacing whoever it was signed in as)."""
    with clinic.db.writing() as session:
        session.execute(delete(SignIn).where(col(SignIn.browser_id) == browser_id))
        session.add(SignIn(browser_id=browser_id, user_id=person_id, signed_in_at=clinic.now()))


def forget_sign_in(clinic: Clinic, *, browser_id: str) -> None:
    with clinic.db.writing() as session:
        session.execute(delete(SignIn).where(col(SignIn.browser_id) == browser_id))


def person_signed_in(clinic: Clinic, *, browser_id: str | None) -> Person | None:
    """Who this browser is signed in as; None if nobody, or if the account was deactivated (which signs it out)."""
    if not browser_id:
        return None
    with clinic.db.reading() as session:
        sign_in = session.exec(select(SignIn).where(SignIn.browser_id == browser_id)).first()
    if sign_in is None:
        return None
    if sign_in.signed_in_at < clinic.now() - KEPT_FOR:  # the cookie has expired too: sign in again
        forget_sign_in(clinic, browser_id=browser_id)
        return None
    person = signed_in_person(clinic, user_id=sign_in.user_id)
    if person is None:
        forget_sign_in(clinic, browser_id=browser_id)
    return person


def forget_stale_sign_ins(clinic: Clinic) -> int:
    """Delete sign-ins older than their cookies can be (browsers that never signed out); return how many."""
    with clinic.db.writing() as session:
        result = session.execute(delete(SignIn).where(col(SignIn.signed_in_at) < clinic.now() - KEPT_FOR))
        return int(cast(CursorResult[Any], result).rowcount or 0)
