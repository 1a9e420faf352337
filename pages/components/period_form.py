"""The form that marks a doctor's time unavailable, or edits a period already marked."""

from nicegui import ui

from services.availability import InTheWay, classify_reason, mark_unavailable, update_unavailability
from services.clinic import Clinic
from services.errors import AppointmentsInTheWay, ClinicError
from services.local_time import format_moment, parse_moment
from services.read_models.values import Period, Person

from .calls import call, clear_errors, show_error
from .conflict_dialog import ask_about_appointments
from .hooks import testid
from .notices import popup

REASON_SUGGESTIONS = ['Vacation', 'Conference', 'Sick leave', 'Personal', 'Training']


class PeriodForm:
    def __init__(self, clinic: Clinic, actor: Person, doctor_id: int) -> None:
        self.clinic, self.actor, self.doctor_id = clinic, actor, doctor_id
        self.tz = clinic.tz
        self.client_id = ui.context.client.id
        self.editing: Period | None = None
        self.title = ui.label('Mark time unavailable').classes('text-lg font-medium')
        with ui.row().classes('w-full gap-3 items-start'):
            self.start = _moment_field('From', 'unavailability-start')
            self.end = _moment_field('Until', 'unavailability-end')
            self.reason = testid(
                ui.input('Reason', autocomplete=REASON_SUGGESTIONS)
                .props('outlined maxlength=500')
                .classes('grow min-w-[12rem]'),
                'unavailability-reason',
            )
        self.fields = {'start': self.start, 'end': self.end, 'note': self.reason}
        self.message = ui.label().classes('text-negative').mark('unavailability-message')
        self.message.visible = False
        with ui.row().classes('gap-2'):
            self.submit = testid(
                ui.button('Mark unavailable', icon='event_busy', on_click=self._save), 'unavailability-submit'
            )
            self.stop_editing = ui.button('Stop editing', on_click=self.reset).props('flat')
            self.stop_editing.visible = False

    def edit(self, period: Period) -> None:
        self.editing = period
        self.start.value = format_moment(period.starts_at, self.tz)
        self.end.value = format_moment(period.ends_at, self.tz)
        self.reason.value = period.note or period.reason.value.title()
        self.title.set_text('Edit unavailable period')
        self.submit.set_text('Save changes')
        self.stop_editing.visible = True
        clear_errors(self.fields, fallback=self.message)

    def reset(self) -> None:
        self.editing = None
        self.start.value = self.end.value = self.reason.value = ''
        self.title.set_text('Mark time unavailable')
        self.submit.set_text('Mark unavailable')
        self.stop_editing.visible = False
        clear_errors(self.fields, fallback=self.message)

    def forget(self, period: Period) -> None:
        """Stop editing this period if it is the one being edited (it was just removed from this page)."""
        if self.editing is not None and self.editing.id == period.id:
            self.reset()

    def keep_up_with(self, periods: tuple[Period, ...]) -> None:
        """Stop editing a period that was removed meanwhile (in another tab, or by someone else), and say so."""
        if self.editing is not None and self.editing.id not in {p.id for p in periods}:
            self.reset()
            self.message.set_text('The period you were editing was removed.')
            self.message.visible = True

    async def _save(self, in_the_way: InTheWay | None = None) -> None:
        clear_errors(self.fields, fallback=self.message)
        try:
            starts_at = parse_moment(self.start.value, self.tz, field='start')
            ends_at = parse_moment(self.end.value, self.tz, field='end')
            text = (self.reason.value or '').strip()
            common = dict(
                actor_id=self.actor.id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=classify_reason(text),
                note=text,
                in_the_way=in_the_way,
                origin=self.client_id,
            )
            self.submit.enabled = False
            if self.editing is None:
                await call(mark_unavailable, self.clinic, doctor_id=self.doctor_id, **common)
            else:
                await call(update_unavailability, self.clinic, period_id=self.editing.id, **common)
        except AppointmentsInTheWay as conflict:
            self.submit.enabled = True
            choice = await ask_about_appointments(conflict.appointments, self.tz)
            if choice is not None:
                await self._save(choice)
            return
        except ClinicError as error:
            show_error(error, self.fields, fallback=self.message)
            return
        finally:
            self.submit.enabled = True
        done = 'Period saved' if self.editing else 'Time marked unavailable'
        if in_the_way is InTheWay.cancel:
            done += '; the patients were told their appointments are cancelled'
        popup(f'{done}.', 'positive')
        self.reset()


def _moment_field(label: str, hook: str) -> ui.input:
    field = ui.input(label, placeholder='YYYY-MM-DD HH:MM').props('outlined stack-label maxlength=16').classes('w-52')
    return testid(field, hook)
