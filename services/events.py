"""Domain events and the hub that carries them from services to whoever listens, after commit."""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Protocol

log = logging.getLogger(__name__)


class Change(str, Enum):
    period_added = 'period_added'
    period_changed = 'period_changed'
    period_removed = 'period_removed'
    hours_changed = 'hours_changed'
    booked = 'booked'
    moved = 'moved'
    cancelled = 'cancelled'
    completed = 'completed'
    no_show = 'no_show'


CHANGE_WORDS = {
    Change.period_added: 'marked time unavailable',
    Change.period_changed: 'changed an unavailability period',
    Change.period_removed: 'removed an unavailability period',
    Change.hours_changed: 'changed the working hours',
    Change.booked: 'booked an appointment',
    Change.moved: 'moved an appointment',
    Change.cancelled: 'cancelled an appointment',
    Change.completed: 'closed finished appointments',
    Change.no_show: 'marked a no-show',
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


DomainEvent = ScheduleChanged | InboxChanged
Handler = Callable[[DomainEvent], Awaitable[None] | None]


class Transport(Protocol):
    """Moves published events to every process's hub; the in-process one hands them straight back."""

    def send(self, event: DomainEvent) -> None: ...


class EventHub:
    """Routes domain events to subscribers on the app's event loop, whatever thread published them."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.transport: Transport = LocalTransport(self)

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    def publish(self, event: DomainEvent) -> None:
        """Send an event; call only after the change is committed."""
        self.transport.send(event)

    def deliver(self, event: DomainEvent) -> None:
        """Hand an event to this process's subscribers (thread-safe)."""
        if self._loop is None or self._loop.is_closed():
            log.debug('no event loop bound; dropping %s', event)
            return
        self._loop.call_soon_threadsafe(self._dispatch, event)

    async def drain(self) -> None:
        """Wait until every event delivered so far has been handled (for tests and orderly shutdown)."""
        await asyncio.sleep(0)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
            await asyncio.sleep(0)

    def _dispatch(self, event: DomainEvent) -> None:
        for handler in list(self._handlers):
            try:
                result = handler(event)
            except Exception:
                log.exception('event handler failed for %s', event)
                continue
            if result is not None:
                task = asyncio.ensure_future(result)
                self._tasks.add(task)
                task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error('event handler failed', exc_info=task.exception())


class LocalTransport:
    def __init__(self, hub: EventHub) -> None:
        self._hub = hub

    def send(self, event: DomainEvent) -> None:
        self._hub.deliver(event)
