"""Domain events: what a committed change says, published by the use cases after commit."""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from ..i18n import N_


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


CHANGE_WORDS = {  # what someone did, shown in the popups of the pages watching (translated there)
    Change.period_added: N_('marked time unavailable'),
    Change.period_changed: N_('changed an unavailability period'),
    Change.period_removed: N_('removed an unavailability period'),
    Change.hours_changed: N_('changed the working hours'),
    Change.types_changed: N_('changed the kinds of visit'),
    Change.booked: N_('booked an appointment'),
    Change.moved: N_('moved an appointment'),
    Change.cancelled: N_('cancelled an appointment'),
    Change.completed: N_('closed finished appointments'),
    Change.no_show: N_('marked a no-show'),
    Change.offered: N_('held a time for a patient on the waitlist'),
    Change.offer_ended: N_('let a held time go'),
}


THE_CLINIC = N_('The clinic')  # the actor_name of a change no person made (a page shows it with `_()`)


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
        """Who did what, in English (the logs; a page words it from `actor_name` and `CHANGE_WORDS`)."""
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
