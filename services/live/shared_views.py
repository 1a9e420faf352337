"""Shared views: one computation per change and key, pushed to every page that watches it.

A page `watch`es a key (say, Dr. Smith on Monday), subscribes to the view's `changed` event inside its page
function, and `release`s the view when the browser leaves. When a domain event touches a watched key, the
value is recomputed once, however many browsers watch it, and emitted to all of them.
"""

import asyncio
import logging
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from nicegui import Event

from .events import DomainEvent

log = logging.getLogger(__name__)

K = TypeVar('K', bound=Hashable)
V = TypeVar('V')


@dataclass(frozen=True, slots=True)
class Update(Generic[V]):
    value: V
    event: DomainEvent | None  # None when nobody acted: time passed, or a reconnect asked for fresh data


class SharedView(Generic[K, V]):
    """The current value for one key, and the event that announces each new value."""

    def __init__(self, key: K) -> None:
        self.key = key
        self.value: V | None = None
        self.version = 0  # how many times the value changed: browsers drop a value older than the one they show
        self.changed: Event[Update[V]] = Event()
        self.watchers = 0
        self._requested = 0
        self._computed = 0
        self._lock = asyncio.Lock()


class SharedViews(Generic[K, V]):
    """Every watched view of one kind, kept current from domain events."""

    def __init__(self, name: str, *, load: Callable[[K], V], affects: Callable[[K, DomainEvent], bool]) -> None:
        self.name = name
        self._load = load
        self._affects = affects
        self._views: dict[K, SharedView[K, V]] = {}
        self._listeners: list[Callable[[SharedView[K, V], Update[V]], None]] = []
        self.computations = 0

    @property
    def watched_keys(self) -> list[K]:
        return list(self._views)

    def current(self, key: K) -> V | None:
        """The value of a watched key (None when nobody watches it)."""
        view = self._views.get(key)
        return view.value if view is not None else None

    def listen(self, listener: Callable[[SharedView[K, V], Update[V]], None]) -> None:
        """Call `listener` once per new value of any watched view (not per browser: it reaches them itself)."""
        self._listeners.append(listener)

    async def watch(self, key: K) -> SharedView[K, V]:
        """Start watching a key; the returned view holds a current value."""
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = SharedView(key)
        view.watchers += 1
        if view.value is not None:
            return view
        try:
            await self._recompute(view, None, emit=False)
        except BaseException:
            self.release(view)
            raise
        return view

    def release(self, view: SharedView[K, V]) -> None:
        """Stop watching; the view is dropped when its last watcher leaves."""
        view.watchers -= 1
        if view.watchers <= 0 and self._views.get(view.key) is view:
            del self._views[view.key]

    async def on_event(self, event: DomainEvent) -> None:
        affected = [view for key, view in list(self._views.items()) if self._affects(key, event)]
        await asyncio.gather(*(self._recompute(view, event) for view in affected))

    async def refresh(self, keys: list[K] | None = None) -> None:
        """Recompute views without an actor (time passed, or a reconnect): changed ones are pushed quietly."""
        views = [self._views[k] for k in (keys if keys is not None else list(self._views)) if k in self._views]
        await asyncio.gather(*(self._recompute(view, None) for view in views))

    async def _recompute(self, view: SharedView[K, V], event: DomainEvent | None, *, emit: bool = True) -> None:
        view._requested += 1
        ticket = view._requested
        async with view._lock:
            if view._computed >= ticket:
                return  # a computation that started after this request already covered it
            view._computed = view._requested
            value = await asyncio.to_thread(self._load, view.key)
            self.computations += 1
            previous, view.value = view.value, value
            if value != previous:
                view.version += 1
        # A first load is not announced (its watcher takes the value it returns), but a load that replaces a value
        # is, even when a watcher started it: two watchers starting at once each load the view, and a change
        # committed between the two loads would otherwise reach only the second, the first never told.
        announce = emit or previous is not None
        if announce and value != previous and view.watchers > 0:
            update = Update(value, event)
            for listener in self._listeners:
                try:
                    listener(view, update)
                except Exception:
                    log.exception('a %s listener failed', self.name)
            view.changed.emit(update)
