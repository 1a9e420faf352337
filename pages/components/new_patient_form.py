"""The front desk's short form for a patient without an account: name and phone, email optional. It names every
problem at once, and warns of possible duplicates, offering to pick the patient already there or create anyway."""

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from services.clinic import Clinic
from services.desk import PossibleDuplicates, register_patient_at_desk
from services.errors import ClinicError, InvalidInputs
from services.read_models.patients import PatientCard
from services.read_models.values import Person

from ..language import _
from .calls import call, clear_errors, show_error
from .hooks import testid
from .notices import popup


class NewPatientForm:
    def __init__(self, clinic: Clinic, person: Person, *, on_chosen: Callable[[PatientCard], Awaitable[Any]]) -> None:
        self.clinic, self.person, self.on_chosen = clinic, person, on_chosen
        with ui.card().classes('w-full gap-3') as self.card:
            ui.label(_('New patient without an account')).classes('text-lg font-medium')
            with ui.row().classes('w-full gap-3 items-start'):
                self.name = testid(ui.input(_('Name')).props('outlined maxlength=200'), 'desk-new-name').classes('grow')
                self.phone = testid(ui.input(_('Phone')).props('outlined maxlength=40'), 'desk-new-phone').classes(
                    'grow'
                )
                self.email = testid(
                    ui.input(_('Email (optional)')).props('outlined maxlength=254 type=email'), 'desk-new-email'
                ).classes('grow')
            self.problem = ui.label().classes('text-negative').mark('desk-new-problem')
            self.problem.visible = False
            self.duplicates = ui.column().classes('w-full gap-2 bg-amber-50 rounded p-3').mark('desk-duplicates')
            self.duplicates.visible = False
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Close'), on_click=self.close).props('flat')
                self.submit = testid(
                    ui.button(_('Register patient'), icon='person_add', on_click=lambda: self._register(False)),
                    'desk-new-submit',
                )
        self.card.visible = False
        self.fields = {'full_name': self.name, 'phone': self.phone, 'email': self.email}

    def open(self, typed: str) -> None:
        """Show the form, starting the name with what the desk searched for (when it was no number or email)."""
        if typed and not self.name.value and not any(ch.isdigit() or ch == '@' for ch in typed):
            self.name.value = typed.strip()
        self.card.visible = True

    def close(self) -> None:
        self.card.visible = False
        self.duplicates.visible = False
        clear_errors(self.fields, fallback=self.problem)

    async def _register(self, anyway: bool) -> None:
        clear_errors(self.fields, fallback=self.problem)
        self.submit.disable()
        try:
            card = await call(
                register_patient_at_desk,
                self.clinic,
                actor_id=self.person.id,
                full_name=self.name.value or '',
                phone=self.phone.value or '',
                email=self.email.value or None,
                confirmed_duplicate=anyway,
            )
        except PossibleDuplicates as warned:
            self._warn(warned)
            return
        except ClinicError as error:
            for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                show_error(problem, self.fields, fallback=self.problem)
            return
        finally:
            self.submit.enable()
        popup(
            _('{name} is registered. They can set a password later with a password link.', name=card.full_name),
            'positive',
        )
        self._reset()
        await self.on_chosen(card)

    def _warn(self, warned: PossibleDuplicates) -> None:
        self.duplicates.clear()
        with self.duplicates:
            ui.label(_('{message} Is this the same person?', message=warned.message)).classes('font-medium')
            for match in warned.matches:
                with testid(ui.row(), 'desk-duplicate').classes('w-full items-center gap-2'):
                    contact = ' · '.join(part for part in (match.email, match.phone) if part)
                    ui.label(f'{match.full_name} · {contact}').classes('grow')
                    testid(
                        ui.button(_('Use this patient'), on_click=lambda m=match: self._pick(m)).props('dense no-caps'),
                        'desk-duplicate-pick',
                    )
            if warned.email_taken:
                ui.label(_('An email belongs to one patient only: use this patient, or leave the email out.'))
            else:
                testid(
                    ui.button(_('Create a new patient anyway'), on_click=lambda: self._register(True)).props(
                        'outline dense no-caps'
                    ),
                    'desk-new-anyway',
                )
        self.duplicates.visible = True

    async def _pick(self, match: PatientCard) -> None:
        self._reset()
        await self.on_chosen(match)

    def _reset(self) -> None:
        for field in self.fields.values():
            field.value = ''
        self.close()
