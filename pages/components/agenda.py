"""The doctor's day on the schedule pages: a date typed or stepped, one row per appointment with the one under way
highlighted, live, and a print of the day alone on one A4 page; the week of that day under it."""

from collections.abc import Awaitable
from datetime import date, timedelta

from nicegui import ui

from services.agenda import doctor_agenda
from services.clinic import Clinic
from services.errors import InvalidInput
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.local_time import DAY_FORMAT, parse_day
from services.read_models.agenda import AgendaEntry, DayAgenda, monday_of
from services.read_models.values import Person

from ..language import N_, _, day_words
from .agenda_week import WeekAgendaCard
from .calls import call
from .follow import Follower
from .hooks import testid
from .theme import BRAND, PALETTE

PRINTED = 'agenda-print'  # the one part of the page that prints
PRINT_CSS = f"""
.agenda-now {{ background: {PALETTE['slot']}; border-left: 4px solid {BRAND}; }}
.agenda-cancelled {{ color: #475569; text-decoration: line-through; }}
@media print {{
  @page {{ size: A4 portrait; margin: 12mm; }}
  .q-header, .q-footer, .q-drawer, .q-notifications, .no-print {{ display: none !important; }}
  .q-layout, .q-page {{ min-height: 0 !important; }}
  .q-page-container {{ padding: 0 !important; }}
  .nicegui-content *:not(.{PRINTED}, .{PRINTED} *, :has(.{PRINTED})) {{ display: none !important; }}
  .nicegui-content, .nicegui-content :has(.{PRINTED}) {{ padding: 0 !important; margin: 0 !important; }}
  .{PRINTED} {{ box-shadow: none !important; border: none !important; padding: 0 !important; font-size: 11pt; }}
  .{PRINTED} .agenda-row {{ break-inside: avoid; page-break-inside: avoid; padding: 3px 0; }}
  .agenda-now {{ background: none; border-left: none; font-weight: 600; }}
}}
"""
STATUS_COLOURS = {'booked': 'primary', 'cancelled': 'grey-7', 'completed': 'positive', 'no_show': 'warning'}
STATUS_WORDS = {
    'booked': N_('Booked'),
    'cancelled': N_('Cancelled'),
    'completed': N_('Completed'),
    'no_show': N_('No-show'),
}


async def agenda(clinic: Clinic, boards: LiveBoards, actor: Person, doctor_id: int, day: str | None = None) -> None:
    """Show a doctor's day and week (to the doctor themself or an admin) and follow them live."""
    first = _day_or_today(clinic, day)
    await DayAgendaCard(clinic, boards, actor, doctor_id, first).open(first)


class DayAgendaCard:
    def __init__(self, clinic: Clinic, boards: LiveBoards, actor: Person, doctor_id: int, day: date) -> None:
        self.clinic, self.boards, self.actor, self.doctor_id = clinic, boards, actor, doctor_id
        self.day = day
        self._opening = 0
        ui.add_css(PRINT_CSS)
        with ui.card().classes(f'w-full gap-2 {PRINTED}') as card:
            with ui.row().classes('w-full items-start gap-1 no-print'):
                self._step_button('chevron_left', -1, _('Previous day'), 'agenda-previous')
                self.date = testid(
                    ui.input(
                        _('Day'), placeholder=_('YYYY-MM-DD'), value=day.strftime(DAY_FORMAT), on_change=self._typed
                    )
                    .props('outlined dense stack-label maxlength=10')
                    .classes('w-40'),
                    'agenda-date',
                )
                self._step_button('chevron_right', 1, _('Next day'), 'agenda-next')
                testid(ui.button(_('Today'), on_click=self._today).props('flat dense'), 'agenda-today').classes('mt-1')
                ui.space()
                testid(
                    ui.button(_('Print'), icon='print', on_click=lambda: ui.run_javascript('window.print()')).props(
                        'flat dense'
                    ),
                    'agenda-print',
                ).classes('mt-1')
            self.title = ui.label().classes('text-lg font-medium').mark('agenda-title')
            self.rows = ui.column().classes('w-full gap-0').mark('agenda-rows')
        self.week = WeekAgendaCard(boards, doctor_id, on_pick=self.open)
        self.follower: Follower[tuple[int, date], DayAgenda] = Follower(self._on_update, anchor=card)

    async def open(self, day: date) -> None:
        """Show `day` (the doctor's own or an admin's: the service refuses anyone else) and follow it."""
        self.day = day
        if self.date.value != day.strftime(DAY_FORMAT):
            self.date.set_value(day.strftime(DAY_FORMAT))  # its change event comes back here once, with this day
        self.date.error = None
        self._opening += 1
        opening = self._opening
        await call(doctor_agenda, self.clinic, actor_id=self.actor.id, doctor_id=self.doctor_id, day=day)
        if opening != self._opening:
            return  # another day was asked for meanwhile (its check may have come back first)
        value = await self.follower.follow(self.boards.agendas, (self.doctor_id, day))
        if value is not None:
            self.show(value)
        await self.week.open(monday_of(day))

    def show(self, agenda: DayAgenda) -> None:
        self.title.set_text(f'{agenda.doctor_name} · {day_words(agenda.day)}')
        self.rows.clear()
        with self.rows:
            if not agenda.entries:
                ui.label(_('No appointments on this day.')).classes('text-grey-8 py-2')
            for entry in agenda.entries:
                _row(entry)

    def _on_update(self, update: Update[DayAgenda]) -> None:
        self.show(update.value)

    async def _typed(self) -> None:
        text = (self.date.value or '').strip()
        if len(text) < 10:
            self.date.error = None
            return
        try:
            day = parse_day(text)
        except InvalidInput as error:
            self.date.error = error.message
            return
        if day != self.day:
            await self.open(day)
        self.date.error = None

    async def _today(self) -> None:
        await self.open(self.clinic.today())

    def _step(self, days: int) -> Awaitable[None]:
        self.day += timedelta(days=days)  # at once: a second click before the page caught up steps on from here
        return self.open(self.day)

    def _step_button(self, icon: str, days: int, label: str, hook: str) -> None:
        button = ui.button(icon=icon, on_click=lambda: self._step(days)).props('flat round dense')
        button.props['aria-label'] = label  # set, not parsed: a translation may hold quotes
        testid(button, hook).classes('mt-1')


def _row(entry: AgendaEntry) -> None:
    status = entry.status.value
    classes = 'w-full items-center gap-x-3 gap-y-0 py-1 px-2 border-b border-gray-200 sm:flex-nowrap agenda-row'
    row = testid(ui.row(), 'agenda-row').classes(classes + (' agenda-now' if entry.now else ''))
    if entry.now:
        row.mark('agenda-row agenda-now')
    with row:
        ui.label(entry.times).classes(
            'w-28 shrink-0 font-mono' + (' agenda-cancelled' if status == 'cancelled' else '')
        )
        ui.label(entry.patient_name).classes('sm:w-40 shrink-0 font-medium')
        ui.label(entry.reason or '—').classes('grow min-w-0 basis-40 text-grey-8')
        words = _('Now · Booked') if entry.now else _(STATUS_WORDS[status])
        ui.badge(words, color=STATUS_COLOURS[status]).props('outline' if status == 'cancelled' else '')


def _day_or_today(clinic: Clinic, text: str | None) -> date:
    try:
        return parse_day(text) if text else clinic.today()
    except InvalidInput:
        return clinic.today()
