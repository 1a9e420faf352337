"""On /book: "Join the waitlist" for the shown doctor and day (or the days after it too: `waitlist-days`), optionally a
window of the day (HH:MM), for the chosen kind of visit. One button on the page; its small form is built only when it
is opened (`confirm-accept` submits)."""

from collections.abc import Callable
from datetime import date, timedelta

from nicegui import ui

from services.clinic import Clinic
from services.errors import ClinicError
from services.waitlist import join_waitlist

from ..language import N_, _, current_language
from .calls import call, clear_errors, show_error
from .headings import heading
from .hooks import testid
from .notices import popup

Choice = Callable[[], tuple[int, date] | None]
DAYS = {1: N_('This day only'), 7: N_('This day or the 6 after'), 14: N_('This day or the 13 after')}


class WaitlistJoin:
    def __init__(
        self,
        clinic: Clinic,
        actor_id: int,
        *,
        chosen: Choice,
        kind: Callable[[], int | None],
        patient_id: int | None = None,
    ) -> None:
        self.clinic, self.actor_id, self.patient_id = clinic, actor_id, patient_id
        self.chosen, self.kind = chosen, kind
        with ui.row().classes('w-full items-center gap-2'):
            ui.label(_('No time that suits you?')).classes('text-grey-8')
            self.button = testid(
                ui.button(_('Join the waitlist'), icon='playlist_add', on_click=self.open).props('outline no-caps'),
                'waitlist-join',
            )

    async def open(self) -> None:
        key = self.chosen()
        if key is None:
            popup(_('Choose a doctor and a day first.'), 'warning')
            return
        doctor_id, day = key
        with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3'):
            dialog.props('aria-labelledby=waitlist-title')
            heading(_('Join the waitlist')).classes('text-lg font-bold').props('id=waitlist-title')
            ui.label(
                _(
                    'If a time that suits you frees up on this day, it is held for you and you are told at once, here '
                    'and by e-mail. Leave the times empty for any time of the day.'
                )
            ).classes('text-grey-9')
            with ui.row().classes('w-full gap-2 no-wrap'):
                fields = {
                    'waitlist_from': testid(ui.input(_('From (HH:MM)')).props('outlined dense'), 'waitlist-from'),
                    'waitlist_until': testid(ui.input(_('Until (HH:MM)')).props('outlined dense'), 'waitlist-until'),
                }
            days = testid(
                ui.select({number: _(words) for number, words in DAYS.items()}, value=1, label=_('Which days')).props(
                    'outlined dense'
                ),
                'waitlist-days',
            ).classes('w-full')
            problem = ui.label().classes('text-negative')
            problem.visible = False
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Go back'), on_click=dialog.close).props('flat')
                accept = testid(ui.button(_('Join')), 'confirm-accept')

        async def join() -> None:
            clear_errors(fields, fallback=problem)
            try:
                entry = await call(
                    join_waitlist,
                    self.clinic,
                    actor_id=self.actor_id,
                    doctor_id=doctor_id,
                    first_day=day,
                    last_day=day + timedelta(days=int(days.value or 1) - 1),
                    earliest=fields['waitlist_from'].value or '',
                    latest=fields['waitlist_until'].value or '',
                    type_id=self.kind(),
                    patient_id=self.patient_id,
                )
            except ClinicError as error:
                show_error(error, fields, fallback=problem)
                return
            dialog.close()
            popup(
                _(
                    'On the waitlist: {doctor}, {days}. You will be told if a time frees up.',
                    doctor=entry.doctor_name,
                    days=entry.describe_in(current_language()),
                ),
                'positive',
            )

        accept.on_click(join)
        dialog.on('hide', dialog.delete)
        dialog.open()
