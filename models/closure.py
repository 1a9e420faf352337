from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class Closure(SQLModel, table=True):
    """A time the clinic is closed, for every doctor or for chosen ones: a public holiday, a training day.

    Each doctor it covers holds it as an unavailability period of their own (`Unavailability.closure_id`), so it
    takes their time exactly as a block they made would.
    """

    __tablename__ = 'closures'
    __table_args__ = (CheckConstraint('starts_at < ends_at', name='ck_closure_order'),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)  # shown to patients: "Clinic closed: New Year's Day"
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime, index=True)
    whole_clinic: bool = True  # also covers doctors who join later
    created_by_id: int = Field(foreign_key='users.id')
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
