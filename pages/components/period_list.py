"""The doctor's unavailable periods, each with its edit and remove buttons."""

from collections.abc import Callable
from typing import Any

from nicegui import ui

from services.availability import remove_unavailability
from services.clinic import Clinic
from services.read_models.values import Period, Person

from ..language import _, pgettext, span_words
from .calls import call_and_tell
from .confirm import confirm
from .hooks import testid
from .period_form import REASON_WORDS
from .theme import LIST_ROW


class PeriodList:
    def __init__(
        self,
        clinic: Clinic,
        actor: Person,
        *,
        on_edit: Callable[[Period], Any],
        on_removed: Callable[[Period], Any],
    ) -> None:
        self.clinic, self.actor, self.on_edit, self.on_removed = clinic, actor, on_edit, on_removed
        self.tz = clinic.tz
        self.client_id = ui.context.client.id
        with ui.card().classes('w-full gap-2') as card:
            self.card = card
            ui.label(_('Unavailable periods')).classes('text-lg font-medium')
            self.rows = ui.column().classes('w-full gap-1').mark('unavailability-list')

    def show(self, periods: tuple[Period, ...]) -> None:
        self.rows.clear()
        with self.rows:
            if not periods:
                ui.label(_('No unavailability planned.')).classes('text-grey-8')
            for period in periods:
                self._row(period)

    def _row(self, period: Period) -> None:
        with testid(ui.row(), 'unavailability-row').classes(f'{LIST_ROW} no-wrap'):
            ui.icon('event_busy', color='negative')
            with ui.column().classes('grow gap-0'):
                ui.label(span_words(period.starts_at, period.ends_at, self.tz)).classes('font-medium')
                if period.closure:
                    what = _('Clinic closed: {name}', name=period.closure)
                else:
                    what = period.note or _(REASON_WORDS[period.reason.value])
                ui.label(_('{what} · by {who}', what=what, who=period.changed_by)).classes('text-sm text-grey-8')
            if period.closure:  # the clinic's: the front desk changes it on /admin
                ui.label(_('Set by the front desk')).classes('text-sm text-grey-8').mark('closure-period')
                return
            edit = ui.button(icon='edit', on_click=lambda p=period: self.on_edit(p)).props('flat round dense')
            edit.props['aria-label'] = _('Edit period')  # set, not parsed: a translation may hold quotes
            testid(edit, 'unavailability-edit')
            remove = ui.button(icon='delete', on_click=lambda p=period: self._remove(p)).props(
                'flat round dense color=negative'
            )
            remove.props['aria-label'] = _('Remove period')
            testid(remove, 'unavailability-remove')

    async def _remove(self, period: Period) -> None:
        span = span_words(period.starts_at, period.ends_at, self.tz)
        text = _('The unavailable period {span} will be removed. Its time becomes bookable again at once.', span=span)
        with self.card:  # not the row whose button asked: a live update may rebuild it while the question is open
            if (
                await confirm(_('Remove this period?'), text, _('Remove period'), back=pgettext('a period', 'Keep it'))
                is None
            ):
                return
            done = _('Removed {span}.', span=span)
            ids = {'actor_id': self.actor.id, 'period_id': period.id, 'origin': self.client_id}
            if await call_and_tell(self.card, done, remove_unavailability, self.clinic, **ids):
                self.on_removed(period)
