"""The day's free times as buttons: one element that the browser draws from a list (`slot_grid.js`).

A change to a watched day reaches every browser showing it as one message, sent once to all of them
(`day_watchers.DayWatchers`); this side keeps a copy of what they show (`mirror`) without sending anything, so the
pick is checked against the times the person saw, and a later update of the element carries the current list.
Only a browser whose own pick went away gets a message of its own: the notice saying so.

What the browsers draw for a day's list is made once per version of the list and shared by every page showing it
(`DrawnDay`): the same dictionary on this side, and the same JSON text in each element's props.
"""

import hmac
import secrets
import weakref
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple

from nicegui import ui

from services.live.shared_views import SharedView, Update
from services.read_models.values import DaySlots, FreeSlot

from ..language import N_, current_language
from .notices import COALESCE_SECONDS
from .shared_props import as_json, words_json
from .theme import NOTIFY_SECONDS

HOOK = 'slot'  # each time's button, drawn in the browser
SCHEDULE_UPDATED = N_('Schedule updated: available time slots have been refreshed.')
WORDS: dict[str, str | float] = {  # the popups for other people's changes and a held time's words, shown by the browser
    'one': SCHEDULE_UPDATED,
    'many': N_('Schedule updated: {count} changes{by}; available time slots have been refreshed.'),
    'by': N_(' by {doctor}'),
    'others': N_(' by {doctor} and others'),
    'held': N_('{time} held'),
    'held_title': N_('Held for a patient on the waitlist: {time} is not bookable now'),
    'seconds': NOTIFY_SECONDS,
    'window': COALESCE_SECONDS,
}
Key = tuple[int, date]
_TAG_KEY = secrets.token_bytes(16)


def origin_tag(client_id: str | None) -> str | None:
    """A tab's mark in the message every browser watching the day gets: the tab that made the change recognises its
    own and skips the popup, and no browser learns another's client id (which names its page's connection)."""
    if client_id is None:
        return None
    return hmac.new(_TAG_KEY, client_id.encode(), 'sha256').hexdigest()[:16]


def day_key(key: Key) -> str:
    doctor_id, day = key
    return f'{doctor_id}:{day:%Y-%m-%d}'


class DrawnDay(NamedTuple):
    """What the browsers showing a day draw for one version of its list."""

    state: dict[str, Any]  # {key, version, slots: {kind of visit: [(start ISO, label), ...]}, held: [label, ...]}
    text: str  # the same as JSON, the grid's prop


_drawn: 'weakref.WeakKeyDictionary[SharedView[Key, DaySlots], DrawnDay]' = weakref.WeakKeyDictionary()


def state_of(view: SharedView[Key, DaySlots], update: Update[DaySlots] | None = None) -> DrawnDay:
    """What a browser draws for a view's current value (or `update`'s, its newest): made once per version and shared
    by every browser showing it."""
    drawn = _drawn.get(view)
    if drawn is not None and drawn.state['version'] == view.version:
        return drawn
    value = update.value if update is not None else view.value
    assert value is not None
    state = {
        'key': day_key(view.key),
        'version': view.version,
        'slots': {  # per kind of visit: each browser shows the kind its person chose
            str(entry.kind.id): [(slot.starts_at.isoformat(), slot.label) for slot in entry.slots]
            for entry in value.by_type
        },
        'held': list(value.held),  # kept for a patient on the waitlist: shown, not bookable
    }
    drawn = _drawn[view] = DrawnDay(state, as_json(state))
    return drawn


class SlotGrid(ui.element, component='slot_grid.js'):
    def __init__(
        self, on_pick: Callable[[FreeSlot], Any], on_heard: Callable[[Update[DaySlots], FreeSlot | None], Any]
    ) -> None:
        """`on_pick(slot)` when the person picks a time; `on_heard(update, gone)` after the browser got a new list by
        the room message, with the picked time that it took away (if any, then no longer picked)."""
        super().__init__()
        self._on_pick, self._on_heard = on_pick, on_heard
        self._value: DaySlots | None = None  # what the browser shows
        self.state: dict[str, Any] | None = None  # the same, as the browser has it
        self._drawn: DrawnDay | None = None
        self._sent = -1  # the version the browser got through this element (the room messages come on top)
        self.picked: FreeSlot | None = None
        self.kind: int | None = None  # the kind of visit shown (None: the doctor's first)
        self._props['words'] = words_json(current_language(), WORDS)
        self._props['kind'] = None
        self._props['me'] = origin_tag(ui.context.client.id)
        self._props['state'] = None
        self.classes('w-full').mark('slot-grid')
        self.on('pick', self._picked)
        ui.context.client.on_connect(self._connected)

    @property
    def day(self) -> date | None:
        return self._value.day if self._value is not None else None

    @property
    def times(self) -> tuple[FreeSlot, ...]:
        """The free times the browser shows now."""
        return self._value.times(self.kind) if self._value is not None else ()

    def show(self, view: SharedView[Key, DaySlots], kind: int | None = None) -> None:
        """Show a view's current value (a new day, or the same one again) for a kind of visit, through this element."""
        assert view.value is not None
        if self._value is None or view.value.day != self._value.day or view.value.doctor_id != self._value.doctor_id:
            self.picked = None
        self._value = view.value
        self._set_kind(kind)
        self._keep_pick()
        self._take(state_of(view))
        self._send()

    def show_kind(self, kind: int | None) -> None:
        """Show another kind of visit's free times of the same day (a pick does not carry over)."""
        if kind == self.kind:
            return
        self.picked = None
        self._set_kind(kind)
        self._send()

    def _set_kind(self, kind: int | None) -> None:
        if kind != self.kind:
            self.picked = None
        self.kind = kind
        self._props['kind'] = str(kind) if kind is not None else None

    def mirror(self, drawn: DrawnDay, update: Update[DaySlots]) -> None:
        """The browser got `drawn` by the room message: keep the same here, without sending anything (not through
        the element's props either: setting one sends the element)."""
        self._take(drawn)
        self._value = update.value
        gone = None
        if self.picked is not None and update.value.find(self.picked.starts_at, self.kind) is None:
            gone, self.picked = self.picked, None
        with self:  # this browser's page: what the page does next (a notice, a popup) goes to this browser only
            self._on_heard(update, gone)

    def clear_pick(self) -> None:
        self.picked = None
        self.run_method('clear')

    def empty(self) -> None:
        """Offer nothing (no day chosen, or one that cannot be booked); `show` offers times again."""
        self.picked = None
        self._value = None
        self._take(None)
        self._send()

    def _keep_pick(self) -> None:
        if (
            self.picked is not None
            and self._value is not None
            and self._value.find(self.picked.starts_at, self.kind) is None
        ):
            self.picked = None

    def _picked(self, event: Any) -> None:
        try:  # what the browser says it clicked: only one of the times it was shown counts
            start = datetime.fromisoformat(event.args) if isinstance(event.args, str) else None
        except ValueError:
            start = None
        slot = self._value.find(start, self.kind) if self._value is not None and start is not None else None
        if slot is None:  # gone between the update and the click, or never one of them
            return
        self.picked = slot
        self._on_pick(slot)

    def _connected(self) -> None:
        """After a (re)connect the browser may have missed room messages: send what it should show."""
        if self.state is not None and self.state['version'] != self._sent:
            self._send()

    def _take(self, drawn: DrawnDay | None) -> None:
        self._drawn = drawn
        self.state = drawn.state if drawn is not None else None

    def _send(self) -> None:
        """Send the browser what it should show, through this element (a new day or kind, or after a reconnect)."""
        self._sent = self.state['version'] if self.state is not None else -1
        self._props['state'] = self._drawn.text if self._drawn is not None else None
