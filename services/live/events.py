"""Domain events: what a committed change says, published by the use cases after commit."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum


class Change(str, Enum):
    period_added = 'period_added'
    period_changed = 'period_changed'
    period_removed = 'period_removed'
    hours_changed = 'hours_changed'
    types_changed = 'types_changed'
    booked = 'booked'
    moved = 'moved'
    cancelled = 'cancelled'
    completed = 'completed'
    no_show = 'no_show'
    offered = 'offered'  # time held for a patient on the waitlist
    offer_ended = 'offer_ended'  # a held time let go (declined, expired, or its entry left)


CHANGE_WORDS = {
    Change.period_added: 'marked time unavailable',
    Change.period_changed: 'changed an unavailability period',
    Change.period_removed: 'removed an unavailability period',
    Change.hours_changed: 'changed the working hours',
    Change.types_changed: 'changed the kinds of visit',
    Change.booked: 'booked an appointment',
    Change.moved: 'moved an appointment',
    Change.cancelled: 'cancelled an appointment',
    Change.completed: 'closed finished appointments',
    Change.no_show: 'marked a no-show',
    Change.offered: 'held a time for a patient on the waitlist',
    Change.offer_ended: 'let a held time go',
}


@dataclass(frozen=True, slots=True)
class ScheduleChanged:
    """Something changed a doctor's free slots on the given local days (inclusive ranges)."""

    doctor_id: int
    day_ranges: tuple[tuple[date, date], ...]
    change: Change
    actor_id: int | None
    actor_name: str
    origin: str | None = None  # opaque id of the browser tab that made the change, so it can skip its own popup
    patient_ids: frozenset[int] = field(default_factory=frozenset)
    appointment_ids: frozenset[int] = field(default_factory=frozenset)  # appointments booked or cancelled
    partial: bool = False  # the ids above were left out (too many to carry between processes): assume any
    spans: tuple[tuple[datetime, datetime], ...] = ()  # a period's times (before and after, for a change)

    def touches(self, doctor_id: int, day: date) -> bool:
        return doctor_id == self.doctor_id and any(first <= day <= last for first, last in self.day_ranges)

    @property
    def description(self) -> str:
        return f'{self.actor_name} {CHANGE_WORDS[self.change]}'


@dataclass(frozen=True, slots=True)
class InboxChanged:
    """A person's notifications changed: a new one arrived (with its text), or some were read."""

    user_id: int
    message: str | None = None


@dataclass(frozen=True, slots=True)
class DoctorsChanged:
    """The clinic's list of doctors changed (a doctor added, edited, deactivated or reactivated), so open booking
    pages offer the new list."""

    doctor_id: int


@dataclass(frozen=True, slots=True)
class MailQueued:
    """E-mails were written into the outbox (besides those of a schedule change), so the sending process sends them
    now rather than at its next round."""


DomainEvent = ScheduleChanged | InboxChanged | DoctorsChanged | MailQueued
