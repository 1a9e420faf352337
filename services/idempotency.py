"""Idempotent write requests: a client that sends `Idempotency-Key` with a write gets, for every retry with that key,
the first answer, never a second booking. The key is claimed (a row, unique per token and key) before the work, so
of two requests racing with one key exactly one does the work; the other is told to retry (409) until it is done.

A booking keeps its answer in its own transaction (`remember_in_session`), so a key still unanswered means nothing
was booked: one left unanswered for `ABANDONED_AFTER` (its process died mid-request) is claimed afresh."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import IdempotentRequest

from .clinic import Clinic
from .errors import ClinicError
from .i18n import N_

MAX_KEY = 200
ABANDONED_AFTER = timedelta(minutes=2)  # far longer than any request takes


class KeyReused(ClinicError):
    """The key came with a different request than the first time."""


class StillWorking(ClinicError):
    """The first request with this key is still being answered."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: str


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b' ' + path.encode() + b'\n' + body).hexdigest()


def claim_key(clinic: Clinic, *, token_id: int, key: str, print_: str) -> Answer | None:
    """Claim `key` for this request: None if it is new (do the work, then `remember_answer`), else the first answer."""
    if not key or len(key) > MAX_KEY:
        raise KeyReused(N_('An Idempotency-Key has 1 to {most} characters.'), field='Idempotency-Key', most=MAX_KEY)
    try:
        with clinic.db.writing() as session:
            session.add(IdempotentRequest(token_id=token_id, key=key, fingerprint=print_, created_at=clinic.now()))
        return None
    except IntegrityError:
        pass
    with clinic.db.reading() as session:
        first = session.exec(
            select(IdempotentRequest).where(IdempotentRequest.token_id == token_id, IdempotentRequest.key == key)
        ).one()
    if first.fingerprint != print_:
        raise KeyReused(N_('This Idempotency-Key was used for a different request.'), field='Idempotency-Key')
    if first.status == 0:
        if first.created_at <= clinic.now() - ABANDONED_AFTER and _take_over(clinic, first.id):
            return None
        raise StillWorking(N_('The first request with this Idempotency-Key is still being answered; retry shortly.'))
    return Answer(first.status, first.body)


def _take_over(clinic: Clinic, row_id: int | None) -> bool:
    """Claim an abandoned key for this request (exactly one of several retries wins it)."""
    with clinic.db.writing() as session:
        row = session.get(IdempotentRequest, row_id)
        if row is None or row.status != 0 or row.created_at > clinic.now() - ABANDONED_AFTER:
            return False
        row.created_at = clinic.now()
        session.add(row)
        return True


def remember_in_session(session: Session, *, token_id: int, key: str, answer: Answer) -> None:
    """Keep the answer in the transaction of the work it answers: both are committed, or neither."""
    row = session.exec(
        select(IdempotentRequest).where(IdempotentRequest.token_id == token_id, IdempotentRequest.key == key)
    ).one()
    row.status, row.body = answer.status, answer.body
    session.add(row)


def remember_answer(clinic: Clinic, *, token_id: int, key: str, answer: Answer) -> None:
    """Keep a refusal's answer (nothing was written that it could be lost with)."""
    with clinic.db.writing() as session:
        remember_in_session(session, token_id=token_id, key=key, answer=answer)


def forget_key(clinic: Clinic, *, token_id: int, key: str) -> None:
    """Let a key go whose request failed without an answer worth repeating (the server's own fault): a retry redoes
    it."""
    with clinic.db.writing() as session:
        row = session.exec(
            select(IdempotentRequest).where(IdempotentRequest.token_id == token_id, IdempotentRequest.key == key)
        ).first()
        if row is not None and row.status == 0:
            session.delete(row)
