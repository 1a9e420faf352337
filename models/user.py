from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .types import Role, UTCDateTime, utcnow


class User(SQLModel, table=True):
    """A person who signs in: a patient, a doctor or an admin."""

    __tablename__ = 'users'

    id: int | None = Field(default=None, primary_key=True)
    # None for a patient the front desk registered without one (a phone caller, a walk-in); unique when set
    email: str | None = Field(default=None, max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=200)
    phone: str = Field(default='', max_length=40, sa_column_kwargs={'server_default': ''})
    role: Role
    # '' until a patient registered by the front desk claims the account by setting a password (nothing signs in)
    password_hash: str
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # None until the person opened the link sent to this address (self sign-up); staff and seeded accounts are set
    email_confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the language the person chose (pages, e-mails, reminders); None: the browser's, or the clinic's default
    language: str | None = Field(default=None, max_length=10)


class LoginFailure(SQLModel, table=True):
    """One failed sign-in (or one whose password is being checked), by email and by the address it came from; kept
    for a while to slow down password guessing (services/sign_in_limits.py)."""

    __tablename__ = 'login_failures'
    __table_args__ = (Index('ix_login_failures_client_failed_at', 'client', 'failed_at'),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client: str = Field(default='', max_length=64, sa_column_kwargs={'server_default': ''})
    failed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class SignIn(SQLModel, table=True):
    """A browser that is signed in, by the id in its signed session cookie. Kept in the database so that every
    app process of a clinic group knows it, and a browser stays signed in when its process is replaced."""

    __tablename__ = 'sign_ins'

    browser_id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='users.id', index=True)
    signed_in_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class EmailConfirmation(SQLModel, table=True):
    """A link sent to a self-signed-up patient's address: opening it confirms the address. Only a SHA-256 of its
    random token is kept, so a copy of the database confirms nobody (services/email_checks.py)."""

    __tablename__ = 'email_confirmations'

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='users.id', index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class PasswordReset(SQLModel, table=True):
    """A single-use link to set a new password (forgotten, or an account the front desk made being claimed). Only a
    SHA-256 of its random token is kept; it expires, and using it marks it used (services/password_resets.py)."""

    __tablename__ = 'password_resets'

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key='users.id', index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
