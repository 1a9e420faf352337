"""The clinic's tables and value types."""

from .appointment import Appointment
from .doctor import Doctor, WorkingHours
from .types import AppointmentStatus, Role, UnavailabilityReason, UTCDateTime, utcnow
from .unavailability import Unavailability
from .user import LoginFailure, User

__all__ = [
    'Appointment',
    'AppointmentStatus',
    'Doctor',
    'LoginFailure',
    'Role',
    'UTCDateTime',
    'Unavailability',
    'UnavailabilityReason',
    'User',
    'WorkingHours',
    'utcnow',
]
