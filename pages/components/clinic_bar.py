"""The header's row: the clinic's name, the signed-in person's navigation, the bell, their name and Sign out.

One element that the browser draws (`clinic_bar.js`) from a few values instead of some twenty-five NiceGUI elements
on every page: each element costs the server about 4 KiB per open page (`docs/PERFORMANCE.md`), and the header was
half of a booking page. The navigation is links; the menus open and close in the browser. What the browser may send
back is checked here: "read" names one of the messages it was shown (or "all"), "sign_out" takes nothing.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments

from services.read_models.values import Inbox

WORDS = {
    'clinic': 'Clinic',
    'notifications': 'Notifications',
    'unread': 'Notifications, {count} unread',
    'mark_all': 'Mark all as read',
    'mark_one': 'Mark read',
    'nothing': 'Nothing yet.',
    'sign_out': 'Sign out',
    'menu': 'Menu',
}


class ClinicBar(ui.element, component='clinic_bar.js'):
    def __init__(
        self,
        links: tuple[tuple[str, str], ...] = (),
        name: str | None = None,
        *,
        with_bell: bool = False,
        on_sign_out: Callable[[], Any] | None = None,
    ) -> None:
        """`links` as (label, path); `name` None for a visitor (then only the clinic's name shows); the bell shows
        an empty inbox until `show_inbox`."""
        super().__init__()
        self._on_read: Callable[[int | None], Any] | None = None
        self._shown_ids: frozenset[int] = frozenset()
        self.inbox_shown = False  # the person's messages have arrived (tests wait for it)
        self._props['words'] = WORDS
        self._props['links'] = [list(link) for link in links]
        self._props['name'] = name
        self._props['inbox'] = {'unread': 0, 'messages': []} if with_bell else None
        self.classes('w-full').mark('clinic-bar')
        self.on('read', self._read)
        if on_sign_out is not None:
            self.on('sign_out', on_sign_out)

    def on_read(self, handler: Callable[[int | None], Any]) -> None:
        """`handler(message id)` when the person marks a message read (None: all of them)."""
        self._on_read = handler

    def show_inbox(self, inbox: Inbox, when: Callable[[datetime], str]) -> None:
        """Show the person's latest messages; `when` words a message's time."""
        self._shown_ids = frozenset(message.id for message in inbox.messages)
        self._props['inbox'] = {
            'unread': inbox.unread,
            'messages': [
                {'id': message.id, 'text': message.text, 'when': when(message.created_at), 'read': message.read}
                for message in inbox.messages
            ],
        }
        self.inbox_shown = True
        self.update()

    async def _read(self, event: GenericEventArguments) -> None:
        wanted = event.args
        if self._on_read is None or self._props['inbox'] is None:
            return
        if wanted == 'all' or (type(wanted) is int and wanted in self._shown_ids):
            result = self._on_read(None if wanted == 'all' else wanted)
            if isinstance(result, Awaitable):
                await result
        # anything else is not something this page showed: ignored, as a click could not have sent it
