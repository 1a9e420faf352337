"""On a doctor's schedule page: who waits for time with them, in the order they are served (`waitlist-doctor-row`);
the front desk can hold a chosen free time for one of them (`waitlist-offer`, a time typed `YYYY-MM-DD HH:MM` in
`waitlist-offer-time`, sent with `confirm-accept`). Kept current with the doctor's schedule, which every offer and end
of one changes; "Refresh" picks up patients who joined meanwhile."""

from datetime import datetime

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInput
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.offers import offer_time_to
from services.read_models.values import DoctorSchedule, Person
from services.waitlist import WaitingEntry, waitlist_of_doctor

from ..language import N_, _, current_language, when_words
from .calls import call, clear_errors, show_error
from .follow import Follower
from .headings import heading
from .hooks import testid
from .notices import popup
from .theme import LIST_ROW


class DoctorWaitlist:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person, doctor_id: int) -> None:
        self.clinic, self.boards, self.person, self.doctor_id = clinic, boards, person, doctor_id
        with ui.card().classes('w-full gap-1') as card:
            self.card = card
            with ui.row().classes('w-full items-center justify-between'):
                ui.label(_('Waitlist')).classes('text-lg font-medium')
                ui.button(_('Refresh'), icon='refresh', on_click=self.load).props('flat dense no-caps')
            self.rows = ui.column().classes('w-full gap-1')
        self.follower: Follower[int, DoctorSchedule] = Follower(self._changed, anchor=card)

    async def start(self) -> None:
        await self.follower.follow(self.boards.schedules, self.doctor_id)
        await self.load()

    async def load(self) -> None:
        try:
            entries = await call(waitlist_of_doctor, self.clinic, actor_id=self.person.id, doctor_id=self.doctor_id)
        except ClinicError:
            return
        self.rows.clear()
        with self.rows:
            if not entries:
                ui.label(_('Nobody is waiting for time with this doctor.')).classes('text-grey-8')
            for place, entry in enumerate(entries, start=1):
                self._row(place, entry)

    def _row(self, place: int, entry: WaitingEntry) -> None:
        with testid(ui.row(), 'waitlist-doctor-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0'):
                ui.label(f'{place}. {entry.patient_name}').classes('font-medium')
                what = _('an earlier time') if entry.moves_appointment_id else entry.type_name
                state = _('a time is held for them') if entry.status.value == 'offered' else _('waiting')
                joined = when_words(entry.joined_at, self.clinic.tz)
                ui.label(
                    _(
                        '{days} · {what} · {state} · since {joined}',
                        days=entry.describe_in(current_language()),
                        what=what,
                        state=state,
                        joined=joined,
                    )
                ).classes('text-sm text-grey-8')
            if self.person.role is Role.admin and entry.status.value == 'waiting':
                testid(
                    ui.button(_('Offer a time'), icon='event_available', on_click=lambda e=entry: self._offer(e)).props(
                        'flat dense no-caps'
                    ),
                    'waitlist-offer',
                )

    async def _changed(self, _update: Update[DoctorSchedule]) -> None:
        await self.load()

    async def _offer(self, entry: WaitingEntry) -> None:
        with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3'):
            dialog.props('aria-labelledby=offer-time-title')
            title = _('Offer {name} a time', name=entry.patient_name)
            heading(title).classes('text-lg font-bold').props('id=offer-time-title')
            ui.label(
                _(
                    'The time is held for them, as any freed time is; they are told at once and by e-mail, and it '
                    'passes on if they do not answer in time.'
                )
            ).classes('text-grey-9')
            field = testid(ui.input(_('Time (YYYY-MM-DD HH:MM)')).props('outlined dense'), 'waitlist-offer-time')
            field.value = f'{entry.first_day} '
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Go back'), on_click=dialog.close).props('flat')
                accept = testid(ui.button(_('Hold it for them')), 'confirm-accept')

        async def send() -> None:
            clear_errors({'time': field})
            try:
                starts_at = _typed_time(field.value or '', self.clinic)
                await call(offer_time_to, self.clinic, actor_id=self.person.id, entry_id=entry.id, starts_at=starts_at)
            except ClinicError as error:
                show_error(error, {'time': field, 'slot': field, 'date': field})
                return
            dialog.close()
            with self.card:
                popup(_('Held for {name}: they are told now.', name=entry.patient_name), 'positive')
            await self.load()

        accept.on_click(send)
        dialog.on('hide', dialog.delete)
        dialog.open()


def _typed_time(text: str, clinic: Clinic) -> datetime:
    try:
        return datetime.strptime(text.strip(), '%Y-%m-%d %H:%M').replace(tzinfo=clinic.tz)
    except ValueError:
        raise InvalidInput(
            N_('Type the time as YYYY-MM-DD HH:MM, for example 2026-11-30 09:30.'), field='time'
        ) from None
