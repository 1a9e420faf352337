"""Personal access tokens for the API: a person makes one on /profile, names it, picks its scope (read, or read and
write), sees it once, and can revoke it. Only a SHA-256 of the token is kept; a request carrying it (`Authorization:
Bearer ...`) acts as its owner, with the same rules as the pages, and only while the owner's account is active."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from models import ApiToken, TokenScope, User

from .access import load_actor
from .audit import record
from .clinic import Clinic
from .errors import InvalidInput, NotFound
from .i18n import N_
from .read_models.values import Person
from .validation import clean_text

PREFIX = 'clinic_'  # so a leaked token is recognisable (and searchable) for what it is
MAX_TOKENS = 20  # live tokens one person may have


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    name: str
    scope: TokenScope
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenHolder:
    """Who a presented token acts for, and what it may do."""

    person: Person
    token_id: int
    scope: TokenScope


def create_token(
    clinic: Clinic, *, actor_id: int, name: str, scope: TokenScope = TokenScope.write
) -> tuple[TokenInfo, str]:
    """Make a token for the signed-in person; return it and its secret, which is shown this once."""
    label = clean_text(name, field='token_name', label=N_('Name'), required=True, limit=80)
    secret = PREFIX + secrets.token_urlsafe(32)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        live = session.exec(
            select(ApiToken.id).where(ApiToken.user_id == actor.id, col(ApiToken.revoked_at).is_(None))
        ).all()
        if len(live) >= MAX_TOKENS:
            raise InvalidInput(
                N_('You have {count} tokens, the most allowed. Revoke one first.'), field='token_name', count=len(live)
            )
        token = ApiToken(user_id=actor.id, name=label, scope=scope, token_hash=_hash(secret), created_at=clinic.now())
        session.add(token)
        session.flush()
        record(session, clinic, actor=actor, action='token.created', after={'name': label, 'scope': scope.value})
        return _info(token), secret


def tokens_of(clinic: Clinic, *, actor_id: int) -> tuple[TokenInfo, ...]:
    """The person's live tokens, newest first (names and scopes; never the secrets, which are not kept)."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        rows = session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == actor.id, col(ApiToken.revoked_at).is_(None))
            .order_by(col(ApiToken.id).desc())
        ).all()
        return tuple(_info(row) for row in rows)


def revoke_token(clinic: Clinic, *, actor_id: int, token_id: int) -> None:
    """End one of the person's tokens at once: every later request with it is refused."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != actor.id or token.revoked_at is not None:
            raise NotFound(N_('This token is already gone; the list has been refreshed.'))
        token.revoked_at = clinic.now()
        session.add(token)
        record(session, clinic, actor=actor, action='token.revoked', before={'name': token.name})


def holder_of(clinic: Clinic, *, secret: str) -> TokenHolder | None:
    """Whom a presented token acts for; None for an unknown or revoked one, or a deactivated owner."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    with clinic.db.reading() as session:
        token = session.exec(select(ApiToken).where(ApiToken.token_hash == _hash(secret))).first()
        if token is None or token.revoked_at is not None or token.id is None:
            return None
        owner = session.get(User, token.user_id)
        if owner is None or not owner.is_active:
            return None
        return TokenHolder(person=load_actor(session, owner.id), token_id=token.id, scope=token.scope)


def _info(token: ApiToken) -> TokenInfo:
    assert token.id is not None
    return TokenInfo(id=token.id, name=token.name, scope=token.scope, created_at=token.created_at)


def _hash(secret: str) -> str:
    return hashlib.sha256(f'api token {secret}'.encode()).hexdigest()
