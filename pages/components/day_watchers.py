"""The browsers showing each doctor's day, and the one message that tells all of them a new list of free times.

A change recomputes a watched day once (`SharedViews`); here the new list is serialized once and sent once, as one
Socket.IO event addressed to the rooms of every browser showing that day (NiceGUI puts each browser's socket in a
room named after its client), so a change costs the server one message however many browsers watch, and browsers
showing other days get nothing. Each page's grid keeps a copy of what its browser shows (`SlotGrid.mirror`), which
costs no message.
"""

import logging
from typing import Any

from nicegui import background_tasks, core

from services.live.boards import CLINIC, LiveBoards, SlotKey
from services.live.events import ScheduleChanged
from services.live.shared_views import SharedView, Update
from services.read_models.values import DaySlots

from .slot_grid import SlotGrid, origin_tag, state_of

log = logging.getLogger(__name__)

EVENT = 'clinic_slots'


class DayWatchers:
    def __init__(self, boards: LiveBoards) -> None:
        self._grids: dict[SlotKey, dict[str, SlotGrid]] = {}  # per day, per client id
        self._doctors = boards.doctors
        boards.slots.listen(self._changed)

    def enter(self, key: SlotKey, client_id: str, grid: SlotGrid) -> None:
        self._grids.setdefault(key, {})[client_id] = grid

    def leave(self, key: SlotKey, client_id: str) -> None:
        grids = self._grids.get(key)
        if grids is not None:
            grids.pop(client_id, None)
            if not grids:
                del self._grids[key]

    def _changed(self, view: SharedView[SlotKey, DaySlots], update: Update[DaySlots]) -> None:
        grids = self._grids.get(view.key)
        if not grids:
            return
        drawn = state_of(view, update)
        for grid in list(grids.values()):
            try:
                grid.mirror(drawn, update)
            except Exception:  # one page's trouble never keeps the change from the others
                log.exception('a booking page failed to take a new list of free times')
        message: dict[str, Any] = {**drawn.state, 'popup': self._popup(update)}
        background_tasks.create(core.sio.emit(EVENT, message, room=list(grids)), name='tell the day watchers')

    def _popup(self, update: Update[DaySlots]) -> dict[str, Any] | None:
        """Who changed the day, for the popup: a person's change (never time passing); a doctor is named, a patient
        never (patients stay private); the browser that made the change knows it and skips the popup."""
        event = update.event
        if not isinstance(event, ScheduleChanged) or event.actor_id is None:
            return None
        doctors = self._doctors.current(CLINIC)
        named = (d.full_name for d in (doctors.doctors if doctors is not None else ()) if d.user_id == event.actor_id)
        by = next(named, None)
        return {'origin': origin_tag(event.origin), 'by': by}
