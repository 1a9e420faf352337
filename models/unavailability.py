from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from .types import UnavailabilityReason, UTCDateTime, utcnow


class Unavailability(SQLModel, table=True):
    """A period in which a doctor takes no appointments: an hour, a day, a holiday."""

    __tablename__ = 'unavailabilities'
    __table_args__ = (CheckConstraint('starts_at < ends_at', name='ck_unavailability_order'),)

    id: int | None = Field(default=None, primary_key=True)
    doctor_id: int = Field(foreign_key='doctors.id', index=True)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime, index=True)
    reason: UnavailabilityReason = UnavailabilityReason.other
    note: str = Field(default='', max_length=500)
    created_by_id: int = Field(foreign_key='users.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key='users.id')
    updated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closure_id: int | None = Field(
        default=None, foreign_key='closures.id', index=True
    )  # the clinic's, not the doctor's
