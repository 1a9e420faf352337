from datetime import datetime

from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class CalendarFeed(SQLModel, table=True):
    """A person's private calendar address (services/calendar_feeds.py): at most one per person, and only a SHA-256
    of its random token is kept, so a copy of the database subscribes to nobody's appointments. Turning it off or
    making a new one deletes or replaces the row, so an old address stops working at once."""

    __tablename__ = 'calendar_feeds'

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key='users.id', unique=True, index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
