"""Keep one browser subscribed to one live view at a time, and let go of it when the browser leaves."""

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from nicegui import ui

from services.live.events import ScheduleChanged
from services.live.shared_views import SharedView, SharedViews, Update

K = TypeVar('K', bound=Hashable)
V = TypeVar('V')


class Follower(Generic[K, V]):
    """Follows a key of a `SharedViews` for the current client; `on_update` runs in this client's context (None:
    the view is only kept current, and the page hears of changes another way, as the slot grid does)."""

    def __init__(self, on_update: Callable[[Update[V]], Any] | None, *, anchor: ui.element | None = None) -> None:
        self._on_update = on_update
        self._anchor = anchor or ui.context.slot.parent
        self._views: SharedViews[K, V] | None = None
        self._view: SharedView[K, V] | None = None
        self._requests = 0
        self._gone = False  # the browser left: nothing is followed any more
        ui.context.client.on_delete(self._left)

    @property
    def key(self) -> K | None:
        return self._view.key if self._view else None

    @property
    def view(self) -> SharedView[K, V] | None:
        return self._view

    async def follow(self, views: SharedViews[K, V], key: K) -> V | None:
        """Switch to a key; returns its current value, or None if a later switch overtook this one."""
        self._requests += 1
        request = self._requests
        view = await views.watch(key)
        if request != self._requests or self._gone:  # the person picked something else, or left, meanwhile
            views.release(view)
            return None
        self.stop()
        self._views, self._view = views, view
        if self._on_update is not None:
            with self._anchor:  # subscribe in a slot that lives as long as the page, so popups have a context
                view.changed.subscribe(self._deliver)
        return view.value

    def stop(self) -> None:
        if self._view is not None and self._views is not None:
            if self._on_update is not None:
                self._view.changed.unsubscribe(self._deliver)
            self._views.release(self._view)
        self._view = self._views = None

    def _left(self) -> None:
        self._gone = True
        self.stop()

    def _deliver(self, update: Update[V]) -> Any:
        assert self._on_update is not None
        return self._on_update(update)


def by_someone_else(update: Update[Any], client_id: str) -> ScheduleChanged | None:
    """The change behind an update if a person made it from another browser tab (worth a popup), else None.

    Time passing and the clinic's own bookkeeping (no actor) update pages quietly; so does the tab's own action.
    """
    event = update.event
    if isinstance(event, ScheduleChanged) and event.actor_id is not None and event.origin != client_id:
        return event
    return None
