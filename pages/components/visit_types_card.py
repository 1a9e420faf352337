"""The kinds of visit a doctor offers, listed and edited on the schedule pages (the doctor's own and the desk's)."""

from typing import Any

from nicegui import ui

from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.read_models.values import Person, VisitType
from services.visit_types import add_visit_type, change_visit_type, retire_visit_type

from ..language import _, pgettext
from .calls import call, clear_errors, show_error
from .confirm import confirm
from .headings import heading
from .hooks import testid
from .notices import popup


class VisitTypesCard:
    def __init__(self, clinic: Clinic, actor: Person, doctor_id: int) -> None:
        self.clinic, self.actor, self.doctor_id = clinic, actor, doctor_id
        self.client_id = ui.context.client.id
        self.editing: VisitType | None = None
        self.types: tuple[VisitType, ...] = ()
        with ui.card().classes('w-full gap-3'):
            heading(_('Kinds of visit'), 2).classes('text-lg font-medium m-0')
            ui.label(
                _(
                    'Patients pick one when booking; its free times start on the slot grid and keep the time before '
                    'and after free. A new length applies to bookings made from now on.'
                )
            ).classes('text-sm text-grey-8')
            self.rows = ui.column().classes('w-full gap-1')
            with ui.row().classes('w-full items-start gap-3'):
                self.name = testid(
                    ui.input(_('Name'), placeholder=_('e.g. New patient')).props('outlined dense maxlength=80'),
                    'type-name',
                ).classes('min-w-[14rem]')
                self.minutes = testid(
                    ui.number(_('Minutes'), min=5, max=240, step=5, precision=0).props('outlined dense'), 'type-minutes'
                ).classes('w-28')
                self.before = testid(
                    ui.number(_('Free before'), min=0, max=120, step=5, precision=0).props('outlined dense'),
                    'type-before',
                ).classes('w-32')
                self.after = testid(
                    ui.number(_('Free after'), min=0, max=120, step=5, precision=0).props('outlined dense'),
                    'type-after',
                ).classes('w-32')
                self.patients = testid(ui.checkbox(_('Patients may book it'), value=True), 'type-patients')
            with ui.row().classes('items-center gap-2'):
                self.submit = testid(ui.button(_('Add kind of visit'), icon='add', on_click=self._save), 'type-submit')
                self.cancel = testid(
                    ui.button(pgettext('a form', 'Cancel'), on_click=self._stop_editing).props('flat'), 'type-cancel'
                )
                self.cancel.visible = False
        self.fields: dict[str, Any] = {
            'type_name': self.name,
            'type_minutes': self.minutes,
            'type_before': self.before,
            'type_after': self.after,
        }

    def show(self, types: tuple[VisitType, ...]) -> None:
        """List the kinds offered now (a kind being edited that someone else removed stops being edited)."""
        if types == self.types:
            return
        self.types = types
        if self.editing is not None and all(kind.id != self.editing.id for kind in types):
            self._stop_editing()
            popup(_('The kind of visit you were editing was removed.'), 'warning')
        self.rows.clear()
        with self.rows:
            for kind in types:
                with testid(ui.row().classes('w-full items-center gap-2 border-b py-1'), 'type-row'):
                    ui.label(_describe(kind)).classes('grow')
                    edit = ui.button(icon='edit', on_click=lambda k=kind: self._edit(k)).props('flat round dense')
                    # set, not parsed: the name is typed by people, and a translation may hold quotes
                    edit.props['aria-label'] = pgettext('a kind of visit', 'Edit {name}', name=kind.name)
                    testid(edit, 'type-edit')
                    remove = ui.button(icon='delete', on_click=lambda k=kind: self._remove(k)).props('flat round dense')
                    remove.props['aria-label'] = _('Remove {name}', name=kind.name)
                    testid(remove, 'type-remove')
                    remove.enabled = len(types) > 1

    def _edit(self, kind: VisitType) -> None:
        clear_errors(self.fields)
        self.editing = kind
        self.name.value, self.minutes.value = kind.name, kind.minutes
        self.before.value, self.after.value = kind.before, kind.after
        self.patients.value = kind.patients_may_book
        self.submit.text = _('Save {name}', name=kind.name)
        self.cancel.visible = True

    def _stop_editing(self) -> None:
        clear_errors(self.fields)
        self.editing = None
        self.name.value, self.minutes.value, self.before.value, self.after.value = '', None, None, None
        self.patients.value = True
        self.submit.text = _('Add kind of visit')
        self.cancel.visible = False

    async def _save(self) -> None:
        clear_errors(self.fields)
        fields = {
            'name': self.name.value,
            'minutes': self.minutes.value,
            'before': self.before.value,
            'after': self.after.value,
            'patients_may_book': bool(self.patients.value),
            'origin': self.client_id,
        }
        self.submit.enabled = False
        try:
            if self.editing is None:
                kind = await call(
                    add_visit_type, self.clinic, actor_id=self.actor.id, doctor_id=self.doctor_id, **fields
                )
                done = _('{name} added.', name=kind.name)
            else:
                kind = await call(
                    change_visit_type, self.clinic, actor_id=self.actor.id, type_id=self.editing.id, **fields
                )
                done = _('{name} saved; bookings already made keep their times.', name=kind.name)
        except ClinicError as error:
            for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                show_error(problem, self.fields)
            return
        finally:
            self.submit.enabled = True
        self._stop_editing()
        popup(done, 'positive')

    async def _remove(self, kind: VisitType) -> None:
        asked = await confirm(
            _('Remove {name}?', name=kind.name),
            _(
                'Patients can no longer book {name}. Appointments already booked as {name} stay as they are.',
                name=kind.name,
            ),
            _('Remove'),
        )
        if asked is None:
            return
        try:
            await call(retire_visit_type, self.clinic, actor_id=self.actor.id, type_id=kind.id, origin=self.client_id)
        except ClinicError as error:
            popup(error.message, 'warning')
            return
        if self.editing is not None and self.editing.id == kind.id:
            self._stop_editing()
        popup(_('{name} removed.', name=kind.name), 'positive')


def _describe(kind: VisitType) -> str:
    words = [kind.name, _('{minutes} min', minutes=kind.minutes)]
    if kind.before:
        words.append(_('{minutes} min free before', minutes=kind.before))
    if kind.after:
        words.append(_('{minutes} min free after', minutes=kind.after))
    if not kind.patients_may_book:
        words.append(_('front desk only'))
    return ' · '.join(words)
