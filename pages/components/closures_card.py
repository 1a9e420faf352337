"""The front desk's clinic closures on /admin: close the clinic (or chosen doctors) for a holiday, and open it again."""

from nicegui import ui

from services.availability import InTheWay
from services.clinic import Clinic
from services.closures import ClosureInfo, close_clinic, remove_closure, upcoming_closures
from services.errors import AppointmentsInTheWay, ClinicError
from services.local_time import parse_moment
from services.read_models.values import DoctorCard, Person

from ..language import _, pgettext, span_words
from .calls import call, clear_errors, show_error
from .confirm import confirm
from .conflict_dialog import ask_about_appointments, booked_appointments
from .headings import heading
from .hooks import testid
from .notices import popup


class ClosuresCard:
    def __init__(self, clinic: Clinic, actor: Person, doctors: list[DoctorCard]) -> None:
        self.clinic, self.actor, self.tz = clinic, actor, clinic.tz
        self.client_id = ui.context.client.id
        with ui.card().classes('w-full gap-3'):
            heading(_('Clinic closures'), 2).classes('text-lg font-medium m-0')
            ui.label(
                _(
                    'Holidays and training days: no one can book the time, and patients see the name. Without doctors '
                    'chosen, the whole clinic is closed.'
                )
            ).classes('text-sm text-grey-8')
            self.rows = ui.column().classes('w-full gap-1')
            with ui.row().classes('w-full gap-3 items-start'):
                self.name = testid(
                    ui.input(_('Name patients see'), placeholder=_("e.g. New Year's Day")).props(
                        'outlined stack-label maxlength=120'
                    ),
                    'closure-name',
                ).classes('min-w-[14rem] grow')
                self.start = _moment_field(_('From'), 'closure-start')
                self.end = _moment_field(_('Until'), 'closure-end')
                self.doctors = testid(
                    ui.select(
                        {d.id: d.full_name for d in doctors}, multiple=True, value=[], label=_('Only these doctors')
                    )
                    .props('outlined use-chips')
                    .classes('min-w-[16rem]'),
                    'closure-doctors',
                )
            self.message = ui.label().classes('text-negative').mark('closure-message')
            self.message.visible = False
            self.submit = testid(
                ui.button(_('Close the clinic'), icon='event_busy', on_click=self._save), 'closure-submit'
            )
        self.fields = {'closure_name': self.name, 'start': self.start, 'end': self.end, 'closure_doctors': self.doctors}

    async def load(self) -> None:
        self._show(await call(upcoming_closures, self.clinic, actor_id=self.actor.id))

    def _show(self, closures: tuple[ClosureInfo, ...]) -> None:
        self.rows.clear()
        with self.rows:
            if not closures:
                ui.label(_('No closures planned.')).classes('text-grey-8')
            for closure in closures:
                with testid(ui.row().classes('w-full items-center gap-2 border-b py-1'), 'closure-row'):
                    with ui.column().classes('grow gap-0'):
                        span = span_words(closure.starts_at, closure.ends_at, self.tz)
                        ui.label(f'{closure.name}: {span}').classes('font-medium')
                        who = _('Whole clinic') if closure.whole_clinic else ', '.join(closure.doctor_names)
                        ui.label(who).classes('text-sm text-grey-8')
                    remove = ui.button(icon='delete', on_click=lambda c=closure: self._remove(c))
                    remove.props('flat round dense color=negative')
                    # set, not parsed: the name is typed by people
                    remove.props['aria-label'] = _('Remove {name}', name=closure.name)
                    testid(remove, 'closure-remove')

    async def _save(self, in_the_way: InTheWay | None = None) -> None:
        clear_errors(self.fields, fallback=self.message)
        try:
            starts_at = parse_moment(self.start.value, self.tz, field='start')
            ends_at = parse_moment(self.end.value, self.tz, field='end')
            self.submit.enabled = False
            await call(
                close_clinic,
                self.clinic,
                actor_id=self.actor.id,
                name=self.name.value,
                starts_at=starts_at,
                ends_at=ends_at,
                doctor_ids=list(self.doctors.value or []),
                in_the_way=in_the_way,
                origin=self.client_id,
            )
        except AppointmentsInTheWay as conflict:
            self.submit.enabled = True
            title = booked_appointments(len(conflict.appointments), _('in this closure'))
            choice = await ask_about_appointments(conflict.appointments, self.tz, title=title)
            if choice is not None:
                await self._save(choice)
            return
        except ClinicError as error:
            show_error(error, self.fields, fallback=self.message)
            return
        finally:
            self.submit.enabled = True
        name = self.name.value.strip()
        if in_the_way is InTheWay.cancel:
            done = _('{name} entered; the patients were told their appointments are cancelled.', name=name)
        else:
            done = _('{name} entered.', name=name)
        popup(done, 'positive')
        self.name.value = self.start.value = self.end.value = ''
        self.doctors.value = []
        await self.load()

    async def _remove(self, closure: ClosureInfo) -> None:
        span = span_words(closure.starts_at, closure.ends_at, self.tz)
        text = _(
            '{name} ({span}) will be removed. Its time becomes bookable again at once.', name=closure.name, span=span
        )
        question = _('Remove {name}?', name=closure.name)
        if await confirm(question, text, _('Remove closure'), back=pgettext('a closure', 'Keep it')) is None:
            return
        try:
            await call(
                remove_closure, self.clinic, actor_id=self.actor.id, closure_id=closure.id, origin=self.client_id
            )
        except ClinicError as error:
            popup(error.message, 'warning')
        else:
            popup(_('{name} removed.', name=closure.name), 'positive')
        await self.load()


def _moment_field(label: str, hook: str) -> ui.input:
    field = (
        ui.input(label, placeholder=_('YYYY-MM-DD HH:MM')).props('outlined stack-label maxlength=16').classes('w-52')
    )
    return testid(field, hook)
