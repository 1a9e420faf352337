from datetime import datetime
from enum import Enum

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class MailStatus(str, Enum):
    pending = 'pending'  # waiting for its (next) attempt
    sending = 'sending'  # handed to the SMTP server, its answer not yet recorded
    sent = 'sent'  # the SMTP server accepted it
    failed = 'failed'  # refused for good, or out of attempts: shown to the admin with the reason


class OutboxMail(SQLModel, table=True):
    """An e-mail written in the same transaction as the change that causes it, sent later by the outbox job.

    Its Message-ID is made when it is written, so every attempt carries the same one.
    """

    __tablename__ = 'outbox'
    __table_args__ = (CheckConstraint('attempts >= 0', name='ck_outbox_attempts'),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)  # confirmation, change, cancellation, reminder, password link...
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_type=Text)
    html_body: str | None = Field(default=None, sa_type=Text)
    calendar: str | None = Field(default=None, sa_type=Text)  # an iCalendar attachment
    message_id: str = Field(max_length=255, unique=True)
    status: MailStatus = Field(default=MailStatus.pending, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)
    last_error: str = Field(default='', max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    appointment_id: int | None = Field(default=None, foreign_key='appointments.id', index=True)
    # an e-mail carrying a one-time link (a password or sign-up link): not sent after this, and its text is wiped once
    # it is sent or given up, so the database never keeps a working link (the links themselves are stored hashed)
    link_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
