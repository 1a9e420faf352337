"""On every page of a patient: when a time is held for them from the waitlist, a dialog with the doctor, the day and
time, a countdown, and `offer-accept` / `offer-decline`. The bell hands it the patient's inbox, which lists the times
held for them (every offer, and every end of one, changes it); it reads and builds nothing until there is one."""

from nicegui import background_tasks, ui

from services.clinic import Clinic
from services.errors import ClinicError
from services.offers import Offer, accept_offer, decline_offer, offers_of_patient
from services.read_models.values import Inbox, Person

from ..language import _, when_words
from .calls import call
from .headings import heading
from .hooks import testid
from .notices import popup


class OfferPrompt:
    def __init__(self, clinic: Clinic, person: Person, anchor: ui.element) -> None:
        self.clinic, self.person, self.anchor = clinic, person, anchor
        self.held: tuple[int, ...] = ()
        self.shown: Offer | None = None
        self.dialog: ui.dialog | None = None
        self.countdown: ui.label | None = None
        self.timer: ui.timer | None = None

    def seen(self, inbox: Inbox) -> None:
        """The bell's inbox arrived or changed: look at the held times only when they changed (usually: none)."""
        if inbox.held != self.held:
            self.held = inbox.held
            background_tasks.create(self.check(), name='show a waitlist offer')

    async def check(self) -> None:
        """Show the first time held for the patient, or close the dialog when none is held any more."""
        with self.anchor:
            try:
                offers = await call(offers_of_patient, self.clinic, actor_id=self.person.id) if self.held else ()
            except ClinicError:
                return
            offer = offers[0] if offers else None
            if offer is None:
                self._close()
            elif self.shown is None or offer.hold_id != self.shown.hold_id:
                self._close()
                self._open(offer)

    def _open(self, offer: Offer) -> None:
        self.shown = offer
        when = when_words(offer.starts_at, self.clinic.tz)
        title = _('An earlier time is free for you') if offer.moves_appointment_id else _('A time is free for you')
        with ui.context.client.layout, ui.dialog().props('persistent') as dialog, ui.card().classes('max-w-md gap-3'):
            dialog.props('aria-labelledby=offer-title')
            testid(dialog, 'offer-dialog')
            heading(title).classes('text-lg font-bold').props('id=offer-title')
            ui.label(
                _('{doctor}, {when} ({kind}).', doctor=offer.doctor_name, when=when, kind=offer.type_name)
            ).classes('font-medium')
            if offer.moves_appointment_id:
                ui.label(_('Accepting moves your appointment to this time; its old time goes to others.'))
            self.countdown = testid(ui.label(), 'offer-countdown').classes('text-grey-8')
            with ui.row().classes('w-full justify-end gap-2'):
                testid(ui.button(_('Decline'), on_click=self._decline).props('flat'), 'offer-decline')
                testid(ui.button(_('Accept'), on_click=self._accept), 'offer-accept')
        self.dialog = dialog
        self._tick()
        self.timer = ui.timer(1.0, self._tick)
        dialog.open()

    def _tick(self) -> None:
        if self.shown is None or self.countdown is None:
            return
        left = int((self.shown.held_until - self.clinic.now()).total_seconds())
        if left <= 0:
            self.countdown.set_text(_('The time held for you has run out.'))
            return
        until = f'{self.shown.held_until.astimezone(self.clinic.tz):%H:%M}'
        self.countdown.set_text(
            _('Held for you until {until}: {left} left.', until=until, left=f'{left // 60}:{left % 60:02d}')
        )

    async def _accept(self) -> None:
        offer = self.shown
        if offer is None:
            return
        try:
            info = await call(accept_offer, self.clinic, actor_id=self.person.id, hold_id=offer.hold_id)
        except ClinicError as error:
            self._close()
            with self.anchor:
                popup(error.message, 'warning')
            return
        self._close()
        with self.anchor:
            popup(
                _(
                    'Booked: {doctor}, {when}.',
                    doctor=info.doctor_name,
                    when=when_words(info.starts_at, self.clinic.tz),
                ),
                'positive',
            )

    async def _decline(self) -> None:
        offer = self.shown
        if offer is None:
            return
        try:  # called from the dialog's button: the dialog goes only once the call is done
            await call(decline_offer, self.clinic, actor_id=self.person.id, hold_id=offer.hold_id)
        except ClinicError as error:
            self._close()
            with self.anchor:
                popup(error.message, 'warning')
            return
        self._close()
        with self.anchor:
            popup(_('Declined: the time goes to the next patient waiting.'), 'info')

    def _close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.delete()
            self.dialog = None
        self.shown = self.countdown = None
