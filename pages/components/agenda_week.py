"""The doctor's week at a glance: Monday to Sunday side by side (one list on a phone), each appointment's start time
and patient, live; picking a day opens it in the day agenda above."""

from collections.abc import Awaitable, Callable
from datetime import date

from babel.dates import format_date, format_skeleton
from nicegui import ui

from services.i18n import local_form
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.read_models.agenda import DayAgenda, WeekAgenda

from ..language import _, current_language
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
        language = current_language()
        first, last = _day_and_month(week.monday, language), _day_month_and_year(sunday, language)
        self.title.set_text(_('Week of {first} to {last}', first=first, last=last))
        self.grid.clear()
        with self.grid:
            for day in week.days:
                self._day(day, language)

    def _day(self, day: DayAgenda, language: str) -> None:
        with testid(ui.column(), 'agenda-week-day').classes('gap-1 min-w-0 p-1 border-t border-gray-200'):
            testid(
                ui.button(_short_day(day.day, language), on_click=lambda d=day.day: self.on_pick(d)),
                'agenda-week-pick',
            ).props('flat dense').classes('self-start')
            if not day.entries:
                ui.label(_('No appointments')).classes('text-grey-8 text-sm')
            for entry in day.entries:
                text = f'{entry.times[:5]} {entry.patient_name}'
                label = testid(ui.label(text), 'agenda-week-entry').classes('text-sm break-words')
                if entry.status.value == 'cancelled':
                    label.classes('agenda-cancelled')
                    label.props['title'] = _('Cancelled')  # set, not parsed: a translation may hold quotes
                elif entry.now:
                    label.classes('agenda-now px-1')

    def _on_update(self, update: Update[WeekAgenda]) -> None:
        self.show(update.value)


def _day_and_month(day: date, language: str) -> str:
    """'30 November', '30 de noviembre', '30. November'."""
    return local_form(language, f'{day.day} {day:%B}', lambda locale: format_skeleton('MMMMd', day, locale=locale))


def _day_month_and_year(day: date, language: str) -> str:
    """'6 December 2026', '6 de diciembre de 2026', '6. Dezember 2026'."""
    return local_form(language, f'{day.day} {day:%B %Y}', lambda locale: format_date(day, 'long', locale=locale))


def _short_day(day: date, language: str) -> str:
    """'Mon 30 Nov', 'lun, 30 nov', 'Mo., 30. Nov.'."""
    return local_form(
        language, f'{day:%a} {day.day} {day:%b}', lambda locale: format_skeleton('MMMEd', day, locale=locale)
    )
