"""Domain events and the hub that carries them from services to whoever listens, after commit."""

import asyncio
import concurrent.futures
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Protocol

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
    partial: bool = False  # the ids above were left out (too many to carry between processes): assume any

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
        self._resync_handlers: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.transport: Transport = LocalTransport(self)

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver events on this loop from now on, and start the transport's link to other processes."""
        self._loop = loop
        start = getattr(self.transport, 'start', None)
        if start is not None:
            start()

    def close(self) -> None:
        stop = getattr(self.transport, 'stop', None)
        if stop is not None:
            stop()

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    def on_resync(self, handler: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Call `handler` when events may have been missed (the link between processes was down)."""
        self._resync_handlers.append(handler)

    def resync(self) -> None:
        """Ask every resync handler to bring its state up to date from the database (thread-safe)."""
        if self._loop is None or self._loop.is_closed():
            return
        for handler in self._resync_handlers:
            future = asyncio.run_coroutine_threadsafe(handler(), self._loop)
            future.add_done_callback(_log_failure)

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


def _log_failure(future: 'concurrent.futures.Future[None]') -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error('resync handler failed', exc_info=future.exception())


class LocalTransport:
    def __init__(self, hub: EventHub) -> None:
        self._hub = hub

    def send(self, event: DomainEvent) -> None:
        self._hub.deliver(event)


def to_wire(event: DomainEvent) -> dict[str, Any]:
    """The event as plain JSON data (ids, dates and short texts), to travel between processes."""
    if isinstance(event, InboxChanged):
        return {'kind': 'inbox', 'user': event.user_id, 'message': event.message}
    return {
        'kind': 'schedule',
        'doctor': event.doctor_id,
        'days': [[first.isoformat(), last.isoformat()] for first, last in event.day_ranges],
        'change': event.change.value,
        'actor': event.actor_id,
        'actor_name': event.actor_name,
        'origin': event.origin,
        'patients': sorted(event.patient_ids),
        'appointments': sorted(event.appointment_ids),
        'partial': event.partial,
    }


def from_wire(data: dict[str, Any]) -> DomainEvent:
    if data['kind'] == 'inbox':
        return InboxChanged(user_id=int(data['user']), message=data.get('message'))
    return ScheduleChanged(
        doctor_id=int(data['doctor']),
        day_ranges=tuple((date.fromisoformat(first), date.fromisoformat(last)) for first, last in data['days']),
        change=Change(data['change']),
        actor_id=data['actor'],
        actor_name=data['actor_name'],
        origin=data['origin'],
        patient_ids=frozenset(data['patients']),
        appointment_ids=frozenset(data['appointments']),
        partial=bool(data['partial']),
    )


def without_details(event: DomainEvent) -> DomainEvent:
    """A smaller form of the event for when it is too big to send whole: who is affected becomes 'anyone'."""
    if isinstance(event, InboxChanged):
        return InboxChanged(user_id=event.user_id, message=(event.message or '')[:200] or None)
    days = event.day_ranges
    if len(days) > 50:
        days = ((min(first for first, _ in days), max(last for _, last in days)),)
    return ScheduleChanged(
        doctor_id=event.doctor_id,
        day_ranges=days,
        change=event.change,
        actor_id=event.actor_id,
        actor_name=event.actor_name[:200],
        origin=event.origin,
        partial=True,
    )
