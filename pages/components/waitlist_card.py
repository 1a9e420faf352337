"""On a patient's /appointments: what they wait for (`waitlist-row`, each with `waitlist-leave`), kept current with
their inbox, which every change to their entries touches."""

from nicegui import ui

from services.clinic import Clinic
from services.errors import ClinicError
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.offers import leave_waitlist
from services.read_models.values import Inbox, Person
from services.waitlist import WaitingEntry, waitlist_of_patient

from ..language import N_, _, current_language
from .calls import call, call_and_tell
from .follow import Follower
from .hooks import testid
from .theme import LIST_ROW

STATUS = {'waiting': N_('Waiting'), 'offered': N_('A time is held for you')}


class WaitlistCard:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person) -> None:
        self.clinic, self.boards, self.person = clinic, boards, person
        with ui.card().classes('w-full gap-1') as card:
            self.card = card
            ui.label(_('Waitlist')).classes('text-lg font-medium')
            self.rows = ui.column().classes('w-full gap-1').mark('waitlist-list')
        self.follower: Follower[int, Inbox] = Follower(self._changed, anchor=card)

    async def start(self) -> None:
        await self.follower.follow(self.boards.inboxes, self.person.id)
        await self.load()

    async def load(self) -> None:
        try:
            entries = await call(waitlist_of_patient, self.clinic, actor_id=self.person.id)
        except ClinicError:
            return
        self.show(entries)

    def show(self, entries: tuple[WaitingEntry, ...]) -> None:
        self.rows.clear()
        with self.rows:
            if not entries:
                ui.label(
                    _(
                        'You are not waiting for any time. On the booking page, "Join the waitlist" holds a time for '
                        'you as soon as one frees up.'
                    )
                ).classes('text-grey-8')
            for entry in entries:
                with testid(ui.row(), 'waitlist-row').classes(LIST_ROW):
                    with ui.column().classes('grow gap-0'):
                        what = _('An earlier time') if entry.moves_appointment_id else entry.type_name
                        ui.label(f'{entry.doctor_name}: {entry.describe_in(current_language())}').classes('font-medium')
                        ui.label(f'{what} · {_(STATUS.get(entry.status.value, entry.status.value))}').classes(
                            'text-sm text-grey-8'
                        )
                    testid(
                        ui.button(_('Leave'), icon='playlist_remove', on_click=lambda e=entry: self._leave(e)).props(
                            'flat dense no-caps'
                        ),
                        'waitlist-leave',
                    )

    async def _changed(self, _update: Update[Inbox]) -> None:
        await self.load()

    async def _leave(self, entry: WaitingEntry) -> None:
        await call_and_tell(
            self.card,
            _('You left the waitlist.'),
            leave_waitlist,
            self.clinic,
            actor_id=self.person.id,
            entry_id=entry.id,
        )
