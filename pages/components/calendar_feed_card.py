"""The calendar feed card on /profile: make a private address to subscribe to in a calendar app, see since when one
is active, make a new one (the old one stops working) or turn it off.

Only a hash of the address is kept, so it is shown once, right after it is made, like an API token.
"""

from nicegui import ui

from services.calendar_feeds import FeedStatus, feed_status, open_feed, revoke_feed
from services.clinic import Clinic
from services.errors import ClinicError
from services.local_time import format_when
from services.read_models.values import Person

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
            heading('Calendar feed', 2).classes('text-lg font-semibold m-0')
            ui.label(
                'Subscribe to this address in your calendar app, once, and your appointments appear there and stay '
                'up to date. Anyone who has the address sees your appointments: keep it to yourself, and make a new '
                'one if it got out (the old one then stops working).'
            ).classes('text-sm text-grey-8')
            self.status = testid(ui.label(), 'feed-status')
            with ui.row().classes('w-full items-center no-wrap gap-1') as self.shown:
                self.url = testid(ui.input('Your calendar address').props('outlined readonly'), 'feed-url')
                self.url.classes('grow')
                ui.button(icon='content_copy', on_click=self._copy).props('flat round aria-label="Copy the address"')
            self.shown.visible = False
            self.once = ui.label('Copy it now: it is shown only this once.').classes('text-sm text-grey-8')
            self.once.visible = False
            with ui.row().classes('gap-2'):
                self.create = testid(ui.button('Make a calendar address', on_click=self._make), 'feed-create')
                self.revoke = testid(
                    ui.button('Turn it off', color='negative', on_click=self._revoke).props('outline'), 'feed-revoke'
                )

    async def load(self) -> None:
        self._show(await call(feed_status, self.clinic, actor_id=self.person.id))

    def _show(self, status: FeedStatus, *, turned_off: bool = False) -> None:
        self.active = status.active_since is not None
        if status.active_since is None:
            self.status.set_text('Your calendar address is turned off.' if turned_off else 'No calendar address yet.')
        else:
            since = format_when(status.active_since, self.clinic.tz)
            self.status.set_text(f'A calendar address is active since {since}.')
        self.create.set_text('Make a new address' if self.active else 'Make a calendar address')
        self.revoke.visible = self.active

    async def _make(self) -> None:
        if self.active:
            answer = await confirm(
                'Make a new calendar address?',
                'The address you have now stops working: calendars subscribed to it need the new one.',
                'Make a new address',
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
        popup('Your calendar address is made. Subscribe to it in your calendar app.', 'positive')

    async def _revoke(self) -> None:
        answer = await confirm(
            'Turn off your calendar address?',
            'Calendars subscribed to it get no more updates. You can make a new address later.',
            'Turn it off',
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
        popup('Your calendar address is turned off.', 'positive')

    def _copy(self) -> None:
        ui.clipboard.write(self.url.value or '')
        popup('Copied.', 'positive')
