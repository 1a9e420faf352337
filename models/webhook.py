from datetime import datetime
from enum import Enum

from sqlalchemy import CheckConstraint, Text
from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class WebhookEndpoint(SQLModel, table=True):
    """An address the front desk registered to be told of changes, with the events it wants.

    Its secret signs every delivery (HMAC-SHA256), so it is kept as written: the clinic must be able to sign with it.
    A removed endpoint stays (inactive) so its deliveries keep their history.
    """

    __tablename__ = 'webhook_endpoints'

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=500)
    events: str = Field(max_length=300)  # event names, comma-separated
    trusted: bool = False  # deliveries may carry reasons and notes (the patient's and doctor's own words)
    secret: str = Field(max_length=100)
    active: bool = Field(default=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key='users.id')


class DeliveryStatus(str, Enum):
    pending = 'pending'  # waiting for its (next) attempt
    sending = 'sending'  # posted, the answer not yet recorded
    delivered = 'delivered'  # the endpoint answered 2xx
    failed = 'failed'  # out of attempts, or its endpoint was removed


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint, written in the same transaction as the change, posted later by the sender.

    `event_id` is the event's own id: the same in every attempt and in a resend, so a receiver can drop repeats.
    """

    __tablename__ = 'webhook_deliveries'
    __table_args__ = (CheckConstraint('attempts >= 0', name='ck_webhook_deliveries_attempts'),)

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key='webhook_endpoints.id', index=True)
    event_id: str = Field(max_length=36, index=True)
    event: str = Field(max_length=40)
    body: str = Field(sa_type=Text)
    status: DeliveryStatus = Field(default=DeliveryStatus.pending, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_status: int | None = None
    response_excerpt: str = Field(default='', max_length=500)
    last_error: str = Field(default='', max_length=500)
    resent_from_id: int | None = Field(default=None, foreign_key='webhook_deliveries.id')
