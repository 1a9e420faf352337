"""The header's row: the clinic's name, the signed-in person's navigation, the bell, their name and Sign out.

One element that the browser draws (`clinic_bar.js`) from a few values instead of some twenty-five NiceGUI elements
on every page: each element costs the server about 4 KiB per open page (`docs/PERFORMANCE.md`), and the header was
half of a booking page. The navigation is links; the menus open and close in the browser. What the browser may send
back is checked here: "read" names one of the messages it was shown (or "all"), "language" one of the languages it
offered, "sign_out" takes nothing.

Its values go to the browser as JSON text (`shared_props`): the words, links and languages are made once per language
and shared by every open page, so they cost a page nothing of its own here.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments

from services.read_models.values import Inbox

from ..language import N_, choose_language_here, current_language, offered_here
from ..language import _ as translation
from .shared_props import as_json, shared_json, words_json

WORDS = {
    'clinic': N_('Clinic'),
    'notifications': N_('Notifications'),
    'unread': N_('Notifications, {count} unread'),
    'mark_all': N_('Mark all as read'),
    'mark_one': N_('Mark read'),
    'nothing': N_('Nothing yet.'),
    'sign_out': N_('Sign out'),
    'menu': N_('Menu'),
    'language': N_('Language'),
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
        self._with_bell = with_bell
        offered = tuple((code, language_name) for code, language_name in offered_here())
        self._offered = frozenset(code for code, _name in offered)
        self._props['words'] = words_json(current_language(), WORDS)
        self._props['links'] = shared_json(tuple((translation(label), path) for label, path in links))
        self._props['language'] = current_language()
        self._props['languages'] = shared_json(offered)
        self._props['name'] = name
        self._props['inbox'] = as_json({'unread': 0, 'messages': []}) if with_bell else None
        self.classes('w-full').mark('clinic-bar')
        self.on('read', self._read)
        self.on('language', self._choose_language)
        if on_sign_out is not None:
            self.on('sign_out', on_sign_out)

    def on_read(self, handler: Callable[[int | None], Any]) -> None:
        """`handler(message id)` when the person marks a message read (None: all of them)."""
        self._on_read = handler

    def show_inbox(self, inbox: Inbox, when: Callable[[datetime], str]) -> None:
        """Show the person's latest messages; `when` words a message's time."""
        self._shown_ids = frozenset(message.id for message in inbox.messages)
        self._props['inbox'] = as_json(
            {
                'unread': inbox.unread,
                'messages': [
                    {'id': message.id, 'text': message.text, 'when': when(message.created_at), 'read': message.read}
                    for message in inbox.messages
                ],
            }
        )
        self.inbox_shown = True
        self.update()

    async def _choose_language(self, event: GenericEventArguments) -> None:
        wanted = event.args
        if type(wanted) is str and wanted in self._offered:
            await choose_language_here(wanted)  # anything else is not one of the choices this page offered

    async def _read(self, event: GenericEventArguments) -> None:
        wanted = event.args
        if self._on_read is None or not self._with_bell:
            return
        if wanted == 'all' or (type(wanted) is int and wanted in self._shown_ids):
            result = self._on_read(None if wanted == 'all' else wanted)
            if isinstance(result, Awaitable):
                await result
        # anything else is not something this page showed: ignored, as a click could not have sent it
