"""The clinic's tables and value types."""

from .api_token import ApiToken, IdempotentRequest, TokenScope
from .appointment import Appointment
from .appointment_type import AppointmentType
from .audit import AuditRecord
from .calendar_feed import CalendarFeed
from .closure import Closure
from .doctor import Doctor, WorkingHours
from .notification import Notification
from .outbox import MailStatus, OutboxMail
from .types import KEEPS_TIME, AppointmentStatus, Role, UnavailabilityReason, UTCDateTime, utcnow
from .unavailability import Unavailability
from .user import LoginFailure, PasswordReset, SignIn, User
from .waitlist import WaitlistEntry, WaitStatus
from .webhook import DeliveryStatus, WebhookDelivery, WebhookEndpoint

__all__ = [
    'KEEPS_TIME',
    'ApiToken',
    'Appointment',
    'AppointmentStatus',
    'AppointmentType',
    'AuditRecord',
    'CalendarFeed',
    'Closure',
    'DeliveryStatus',
    'Doctor',
    'IdempotentRequest',
    'LoginFailure',
    'MailStatus',
    'Notification',
    'OutboxMail',
    'PasswordReset',
    'Role',
    'SignIn',
    'TokenScope',
    'UTCDateTime',
    'Unavailability',
    'UnavailabilityReason',
    'User',
    'WaitStatus',
    'WaitlistEntry',
    'WebhookDelivery',
    'WebhookEndpoint',
    'WorkingHours',
    'utcnow',
]
