"""Popups, all alike: at the bottom of the screen, where they cover neither the page's heading nor the open bell
menu (which hangs from the header), long enough to read, white text on a dark enough colour (4.5:1 or more), each
with its own words (Quasar's grouping of equal messages into a counter is off).

Other people's changes reach a live page through `Coalesced`: a burst of them becomes one popup that says how many,
instead of a flood (one patient booking and cancelling in a loop gave another 29 popups in 14 seconds).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from nicegui import ui

from .theme import NOTIFY_SECONDS

Kind = Literal['positive', 'negative', 'warning', 'info']
N = TypeVar('N')
# At most one popup per this many seconds for the changes other people make: never more than two of them on screen
# at once, and a second change still shows while the first one's popup is up (as the browser tests expect).
COALESCE_SECONDS = NOTIFY_SECONDS / 2


def popup(message: str, kind: Kind = 'info', *, seconds: float = NOTIFY_SECONDS) -> None:
    ui.notify(
        message,
        type=kind,
        position='bottom',
        timeout=int(seconds * 1000),
        group=False,
        close_button=False,
        textColor='white',  # Quasar writes warnings in dark text, meant for its light yellow
    )


@dataclass(frozen=True, slots=True)
class Popup:
    message: str
    kind: Kind = 'info'
    seconds: float = NOTIFY_SECONDS

    def show(self) -> None:
        popup(self.message, self.kind, seconds=self.seconds)


class Coalesced(Generic[N]):
    """At most one popup per `window` seconds on this browser page for the changes other people make.

    The first change after a quiet window pops up at once, worded by `one`; the changes that come within the
    window wait and pop up together, summed up by `many`, when a per-page timer ends the window. The page itself
    still redraws on every change: only the popups are gathered.
    """

    def __init__(
        self, one: Callable[[N], Popup], many: Callable[[list[N]], Popup], *, window: float = COALESCE_SECONDS
    ) -> None:
        self._one, self._many, self._window = one, many, window
        self._anchor = ui.context.slot.parent  # the page's card: timers and popups live as long as the page
        self._pending: list[N] = []
        self._quiet_until = 0.0
        self._timer: ui.timer | None = None

    def tell(self, *changes: N) -> None:
        """Pop up these changes now, or with the others at the end of the window."""
        if not changes:
            return
        self._pending.extend(changes)
        delay = self._quiet_until - time.monotonic()
        if delay <= 0 and self._timer is None:
            self._flush()
        elif self._timer is None:
            with self._anchor:
                self._timer = ui.timer(delay, self._flush, once=True)

    def _flush(self) -> None:
        self._timer = None
        changes, self._pending = self._pending, []
        if not changes:
            return
        with self._anchor:
            (self._one(changes[0]) if len(changes) == 1 else self._many(changes)).show()
        self._quiet_until = time.monotonic() + self._window
