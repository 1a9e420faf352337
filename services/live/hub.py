"""The event hub: carries domain events from the use cases to this process's subscribers and, through its
transport, to the clinic's other app processes."""

import asyncio
import concurrent.futures
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

from .events import DomainEvent

log = logging.getLogger(__name__)

Handler = Callable[[DomainEvent], Awaitable[None] | None]


class Transport(Protocol):
    """Carries events between the app processes that share one clinic's database."""

    @property
    def linked(self) -> bool | None:
        """Whether events from other processes arrive now; None where there are no other processes."""
        ...

    def start(self, received: Callable[[DomainEvent], None], link_restored: Callable[[], None]) -> None:
        """Start passing other processes' events to `received`; call `link_restored` after a lost link is back."""
        ...

    def send(self, event: DomainEvent) -> None:
        """Tell the other processes about an event (this process's subscribers already have it)."""
        ...

    def stop(self) -> None: ...


class SingleProcess:
    """The transport of a clinic that runs as one process (SQLite): there is nobody else to tell."""

    linked = None

    def start(self, received: Callable[[DomainEvent], None], link_restored: Callable[[], None]) -> None:
        pass

    def send(self, event: DomainEvent) -> None:
        pass

    def stop(self) -> None:
        pass


class EventHub:
    """Routes domain events to subscribers on the app's event loop, whatever thread published them."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self._handlers: list[Handler] = []
        self._resync_handlers: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def linked_to_other_processes(self) -> bool | None:
        """Whether other processes' events arrive now (None when the clinic runs as one process)."""
        return self._transport.linked

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver events on this loop from now on, and start the link to other processes."""
        self._loop = loop
        self._transport.start(self.deliver, self.resync)

    def stop(self) -> None:
        self._transport.stop()

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
        """Send an event to this process's subscribers and to the other processes; call only after commit."""
        self.deliver(event)
        self._transport.send(event)

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
