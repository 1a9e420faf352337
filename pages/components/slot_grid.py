"""The day's free times as buttons, updated in place when the list changes."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import ui

from services.views import FreeSlot

from .hooks import testid


class SlotGrid:
    def __init__(self, on_pick: Callable[[FreeSlot], Any]) -> None:
        self._on_pick = on_pick
        self._buttons: dict[datetime, ui.button] = {}
        self.picked: FreeSlot | None = None
        self.container = ui.row().classes('gap-2 w-full').mark('slot-grid')

    def show(self, slots: tuple[FreeSlot, ...]) -> None:
        """Make the buttons match `slots`: delete the gone ones, add the new ones in order."""
        wanted = {slot.starts_at for slot in slots}
        for start in [s for s in self._buttons if s not in wanted]:
            self._buttons.pop(start).delete()
        with self.container:
            for index, slot in enumerate(slots):
                if slot.starts_at not in self._buttons:
                    button = testid(ui.button(slot.label, on_click=lambda s=slot: self._pick(s)), 'slot')
                    button.props('outline no-caps').classes('min-w-[5.5rem] font-mono')
                    button.move(target_index=index)
                    self._buttons[slot.starts_at] = button
        self._highlight()

    def clear_pick(self) -> None:
        self.picked = None
        self._highlight()

    def _pick(self, slot: FreeSlot) -> None:
        self.picked = slot
        self._highlight()
        self._on_pick(slot)

    def _highlight(self) -> None:
        for start, button in self._buttons.items():
            chosen = self.picked is not None and self.picked.starts_at == start
            if chosen:
                button.props(remove='outline').props('unelevated aria-pressed=true')
            else:
                button.props(remove='unelevated aria-pressed').props('outline')
