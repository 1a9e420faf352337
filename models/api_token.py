from datetime import datetime
from enum import Enum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class TokenScope(str, Enum):
    read = 'read'  # look only
    write = 'write'  # look, book, move and cancel, as the person may on the pages


class ApiToken(SQLModel, table=True):
    """A personal access token for the API (services/api_tokens.py): named by its owner, shown once, kept only as a
    SHA-256, revocable; it acts as its owner, within its scope."""

    __tablename__ = 'api_tokens'

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='users.id', index=True)
    name: str = Field(max_length=80)
    scope: TokenScope = TokenScope.write
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class IdempotentRequest(SQLModel, table=True):
    """A write request sent with an Idempotency-Key: its first answer, given again to every retry with that key
    (services/idempotency.py). `status` 0 while the first request is still being answered."""

    __tablename__ = 'idempotent_requests'
    __table_args__ = (UniqueConstraint('token_id', 'key', name='uq_idempotent_request'),)

    id: int | None = Field(default=None, primary_key=True)
    token_id: int = Field(foreign_key='api_tokens.id', index=True)
    key: str = Field(max_length=200)
    fingerprint: str = Field(max_length=64)  # SHA-256 of the method, path and body
    status: int = 0
    body: str = ''
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
