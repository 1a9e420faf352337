"""How often one address may try to sign in: a growing wait, never a lock.

Every sign-in attempt is recorded as a failure, with its email and the address it came from, before its password is
checked (a correct one removes the record again). Two counts over the last 15 minutes slow guessing down:
- one email from one address: 5 failures free, so a guesser elsewhere never slows the account's owner down;
- one address over all emails: 10 failures free, so spraying many emails is slowed like guessing one.
Past its free failures a count makes the next attempt wait 1 s after the latest failure, then 2, 4, 8 ... s (at most
15 minutes); such an attempt is refused unchecked and unrecorded, after a read alone. An attempt let through is
counted again and recorded in one write transaction, so guesses racing each other see each other. Records older than
15 minutes are deleted at each recording, so they expire whoever signs in.
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, delete, func, select

from models import LoginFailure

from .errors import SignInRefused
from .i18n import N_plural

FORGET_AFTER = timedelta(minutes=15)
FREE_PER_ACCOUNT = 5  # failures of one email from one address
FREE_PER_ADDRESS = 10  # failures of one address, all emails together
FIRST_WAIT = timedelta(seconds=1)
MAX_CLIENT = 64  # characters kept of an address (an IPv6 address has at most 45)


class MustWait(SignInRefused):
    """Too many failed sign-ins from this address: the next attempt must wait `seconds`."""

    def __init__(self, seconds: int) -> None:
        one, many = N_plural(
            'Too many failed sign-in attempts. Please try again in {count} second.',
            'Too many failed sign-in attempts. Please try again in {count} seconds.',
        )
        super().__init__(one, many=many, count=seconds)
        self.seconds = seconds


def refuse_if_waiting(session: Session, *, email: str, client: str, now: datetime) -> None:
    """Refuse an attempt from an address that must wait first (read only: a flood of refusals takes no lock)."""
    by_address = col(LoginFailure.client) == client
    wait = max(
        _wait(session, by_address, free=FREE_PER_ADDRESS, now=now),
        _wait(session, by_address & (col(LoginFailure.email) == email), free=FREE_PER_ACCOUNT, now=now),
    )
    if wait > timedelta(0):
        raise MustWait(math.ceil(wait.total_seconds()))


def record_attempt(session: Session, *, email: str, client: str, now: datetime) -> None:
    """In a write transaction: count again and record the attempt as failed until its password proves right."""
    session.execute(delete(LoginFailure).where(col(LoginFailure.failed_at) < now - FORGET_AFTER))
    refuse_if_waiting(session, email=email, client=client, now=now)
    session.add(LoginFailure(email=email, client=client, failed_at=now))


def forget_failures(session: Session, *, email: str, client: str) -> None:
    """The password was right: this email's failures from this address no longer count."""
    session.execute(delete(LoginFailure).where(col(LoginFailure.email) == email, col(LoginFailure.client) == client))


def wait_after(failures: int, *, free: int) -> timedelta:
    """How long after the latest failure the next attempt must wait: nothing while free, then doubling."""
    if failures < free:
        return timedelta(0)
    return min(FIRST_WAIT * (1 << min(failures - free, 20)), FORGET_AFTER)


def _wait(session: Session, which: ColumnElement[bool], *, free: int, now: datetime) -> timedelta:
    since = now - FORGET_AFTER
    failures, latest = session.exec(
        select(func.count(), func.max(col(LoginFailure.failed_at))).where(which, col(LoginFailure.failed_at) >= since)
    ).one()
    if latest is None:
        return timedelta(0)
    return latest + wait_after(failures, free=free) - now
