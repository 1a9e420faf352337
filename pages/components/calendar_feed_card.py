"""The calendar feed card on /profile: make a private address to subscribe to in a calendar app, see since when one
is active, make a new one (the old one stops working) or turn it off.

Only a hash of the address is kept, so it is shown once, right after it is made, like an API token.
"""

from nicegui import ui

from services.calendar_feeds import FeedStatus, feed_status, open_feed, revoke_feed
from services.clinic import Clinic
from services.errors import ClinicError
from services.read_models.values import Person

from ..language import _, when_words
from .calls import call
from .confirm import confirm
from .headings import heading
from .hooks import testid
from .notices import popup


class CalendarFeedCard:
    def __init__(self, clinic: Clinic, person: Person) -> None:
        self.clinic, self.person = clinic, person
        self.active = False
        with ui.card().classes('w-full max-w-md gap-3'):
            heading(_('Calendar feed'), 2).classes('text-lg font-semibold m-0')
            ui.label(
                _(
                    'Subscribe to this address in your calendar app, once, and your appointments appear there and '
                    'stay up to date. Anyone who has the address sees your appointments: keep it to yourself, and '
                    'make a new one if it got out (the old one then stops working).'
                )
            ).classes('text-sm text-grey-8')
            self.status = testid(ui.label(), 'feed-status')
            with ui.row().classes('w-full items-center no-wrap gap-1') as self.shown:
                self.url = testid(ui.input(_('Your calendar address')).props('outlined readonly'), 'feed-url')
                self.url.classes('grow')
                copy = ui.button(icon='content_copy', on_click=self._copy).props('flat round')
                copy.props['aria-label'] = _('Copy the address')  # set, not parsed: a translation may hold quotes
            self.shown.visible = False
            self.once = ui.label(_('Copy it now: it is shown only this once.')).classes('text-sm text-grey-8')
            self.once.visible = False
            with ui.row().classes('gap-2'):
                self.create = testid(ui.button(_('Make a calendar address'), on_click=self._make), 'feed-create')
                self.revoke = testid(
                    ui.button(_('Turn it off'), color='negative', on_click=self._revoke).props('outline'), 'feed-revoke'
                )

    async def load(self) -> None:
        self._show(await call(feed_status, self.clinic, actor_id=self.person.id))

    def _show(self, status: FeedStatus, *, turned_off: bool = False) -> None:
        self.active = status.active_since is not None
        if status.active_since is None:
            self.status.set_text(
                _('Your calendar address is turned off.') if turned_off else _('No calendar address yet.')
            )
        else:
            since = when_words(status.active_since, self.clinic.tz)
            self.status.set_text(_('A calendar address is active since {since}.', since=since))
        self.create.set_text(_('Make a new address') if self.active else _('Make a calendar address'))
        self.revoke.visible = self.active

    async def _make(self) -> None:
        if self.active:
            answer = await confirm(
                _('Make a new calendar address?'),
                _('The address you have now stops working: calendars subscribed to it need the new one.'),
                _('Make a new address'),
            )
            if answer is None:
                return
        self.create.disable()
        try:
            address = await call(open_feed, self.clinic, actor_id=self.person.id)
            status = await call(feed_status, self.clinic, actor_id=self.person.id)
        except ClinicError as error:
            popup(error.message, 'warning')
            return
        finally:
            self.create.enable()
        self.url.set_value(address)
        self.shown.visible = self.once.visible = True
        self._show(status)
        popup(_('Your calendar address is made. Subscribe to it in your calendar app.'), 'positive')

    async def _revoke(self) -> None:
        answer = await confirm(
            _('Turn off your calendar address?'),
            _('Calendars subscribed to it get no more updates. You can make a new address later.'),
            _('Turn it off'),
        )
        if answer is None:
            return
        try:
            await call(revoke_feed, self.clinic, actor_id=self.person.id)
            status = await call(feed_status, self.clinic, actor_id=self.person.id)
        except ClinicError as error:
            popup(error.message, 'warning')
            return
        self.url.set_value('')
        self.shown.visible = self.once.visible = False
        self._show(status, turned_off=True)
        popup(_('Your calendar address is turned off.'), 'positive')

    def _copy(self) -> None:
        ui.clipboard.write(self.url.value or '')
        popup(_('Copied.'), 'positive')
