"""The doctor's week at a glance: Monday to Sunday side by side (one list on a phone), each appointment's start time
and patient, live; picking a day opens it in the day agenda above."""

from collections.abc import Awaitable, Callable
from datetime import date

from nicegui import ui

from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.read_models.agenda import DayAgenda, WeekAgenda

from .follow import Follower
from .hooks import testid


class WeekAgendaCard:
    def __init__(self, boards: LiveBoards, doctor_id: int, *, on_pick: Callable[[date], Awaitable[None]]) -> None:
        self.boards, self.doctor_id, self.on_pick = boards, doctor_id, on_pick
        with ui.card().classes('w-full gap-2 no-print') as card:
            self.title = ui.label().classes('text-lg font-medium')
            self.grid = testid(ui.element('div'), 'agenda-week').classes('w-full grid grid-cols-1 md:grid-cols-7 gap-2')
        self.follower: Follower[tuple[int, date], WeekAgenda] = Follower(self._on_update, anchor=card)

    async def open(self, monday: date) -> None:
        """Follow the week starting on `monday` (the day agenda checked who may see it)."""
        if self.follower.key == (self.doctor_id, monday):
            return
        value = await self.follower.follow(self.boards.week_agendas, (self.doctor_id, monday))
        if value is not None:
            self.show(value)

    def show(self, week: WeekAgenda) -> None:
        sunday = week.days[-1].day
        self.title.set_text(f'Week of {week.monday.day} {week.monday:%B} to {sunday.day} {sunday:%B %Y}')
        self.grid.clear()
        with self.grid:
            for day in week.days:
                self._day(day)

    def _day(self, day: DayAgenda) -> None:
        with testid(ui.column(), 'agenda-week-day').classes('gap-1 min-w-0 p-1 border-t border-gray-200'):
            testid(
                ui.button(f'{day.day:%a} {day.day.day} {day.day:%b}', on_click=lambda d=day.day: self.on_pick(d)),
                'agenda-week-pick',
            ).props('flat dense').classes('self-start')
            if not day.entries:
                ui.label('No appointments').classes('text-grey-8 text-sm')
            for entry in day.entries:
                text = f'{entry.times[:5]} {entry.patient_name}'
                label = testid(ui.label(text), 'agenda-week-entry').classes('text-sm break-words')
                if entry.status.value == 'cancelled':
                    label.classes('agenda-cancelled').props('title="Cancelled"')
                elif entry.now:
                    label.classes('agenda-now px-1')

    def _on_update(self, update: Update[WeekAgenda]) -> None:
        self.show(update.value)
