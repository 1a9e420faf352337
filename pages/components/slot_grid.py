"""The day's free times as buttons, changed in place when the list changes.

A live update touches only the buttons that change: a time that is no longer free is hidden (and loses its test
hook), one that comes back is shown again. No element is created or deleted while the day stays the same, so a
change costs each watching browser a single small update, even with a thousand of them on the same day.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from nicegui import ui

from services.read_models.values import FreeSlot

from .hooks import testid

HOOK = 'slot'


class SlotGrid:
    def __init__(self, on_pick: Callable[[FreeSlot], Any]) -> None:
        self._on_pick = on_pick
        self._day: date | None = None
        self._buttons: dict[datetime, ui.button] = {}  # every button of the day, shown or hidden
        self._slots: dict[datetime, FreeSlot] = {}  # the free times shown now
        self._lit: datetime | None = None  # the start whose button is drawn as chosen
        self.picked: FreeSlot | None = None
        self.container = ui.row().classes('gap-2 w-full').mark('slot-grid')

    def show(self, day: date, slots: tuple[FreeSlot, ...]) -> None:
        """Make the shown buttons match `slots`: hide the gone ones, show (or add, in time order) the new ones."""
        if day != self._day:
            self._start_day(day)
        wanted = {slot.starts_at: slot for slot in slots}
        for start in self._slots.keys() - wanted.keys():
            button = self._buttons[start]
            button.visible = False
            button.props(remove='data-testid')
        for start in wanted.keys() - self._slots.keys():
            button = self._buttons.get(start) or self._add(start, wanted[start].label)
            button.props(f'data-testid={HOOK}')
            button.visible = True
        self._slots = wanted
        self._highlight()

    def clear_pick(self) -> None:
        self.picked = None
        self._highlight()

    def empty(self) -> None:
        """Offer nothing (no day chosen, or one that cannot be booked); `show` offers times again."""
        self.picked = None
        self._start_day(None)

    @property
    def day(self) -> date | None:
        return self._day

    def _start_day(self, day: date | None) -> None:
        self.container.clear()
        self._day, self._buttons, self._slots, self._lit = day, {}, {}, None

    def _add(self, start: datetime, label: str) -> ui.button:
        with self.container:
            button = testid(ui.button(label, on_click=lambda: self._pick(start)), HOOK)
        button.props('outline no-caps').classes('min-w-[5.5rem] font-mono')
        button.move(target_index=sum(1 for other in self._buttons if other < start))
        self._buttons[start] = button
        return button

    def _pick(self, start: datetime) -> None:
        slot = self._slots.get(start)
        if slot is None:  # gone between the update and the click
            return
        self.picked = slot
        self._highlight()
        self._on_pick(slot)

    def _highlight(self) -> None:
        """Draw the picked button as chosen; only the buttons whose look changes are sent to the browser."""
        wanted = self.picked.starts_at if self.picked is not None and self.picked.starts_at in self._slots else None
        if wanted == self._lit:
            return
        if self._lit is not None:
            self._buttons[self._lit].props(remove='unelevated aria-pressed').props('outline')
        if wanted is not None:
            self._buttons[wanted].props(remove='outline').props('unelevated aria-pressed=true')
        self._lit = wanted
