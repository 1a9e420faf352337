from datetime import datetime

from sqlmodel import Field, SQLModel

from .types import UTCDateTime, utcnow


class AuditRecord(SQLModel, table=True):
    """One change to availability or appointments: who, when, what, and the values before and after.

    Written in the same transaction as the change itself, and never updated or deleted by the app.
    """

    __tablename__ = 'audit_records'

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: int | None = Field(default=None, foreign_key='users.id')
    actor_name: str = Field(max_length=200)
    action: str = Field(max_length=40, index=True)  # e.g. 'appointment.booked', 'period.removed'
    doctor_id: int | None = Field(default=None, foreign_key='doctors.id', index=True)
    appointment_id: int | None = Field(default=None, index=True)
    period_id: int | None = Field(default=None, index=True)
    before: str = Field(default='')  # JSON of the changed fields' old values
    after: str = Field(default='')  # JSON of the new values
