from datetime import datetime

from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class Notification(SQLModel, table=True):
    """A message in a person's in-app inbox (the bell): a reminder, or news about their appointment.

    `dedupe_key` is unique, so the database itself refuses a second copy of the same reminder, whichever process
    or retry tries to send it.
    """

    __tablename__ = 'notifications'

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='users.id', index=True)
    appointment_id: int | None = Field(default=None, foreign_key='appointments.id', index=True)
    kind: str = Field(max_length=20)  # 'reminder' or 'cancelled'
    message: str = Field(max_length=1000)
    dedupe_key: str | None = Field(default=None, max_length=100, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
