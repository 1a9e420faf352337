"""Patients create their own account."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from services.accounts import register_patient
from services.clinic import Clinic
from services.errors import ClinicError

from .components.calls import call, clear_errors, show_error
from .components.frame import frame
from .components.hooks import testid
from .session import browser_session, home_of, sign_in_browser, signed_in


def register(clinic: Clinic) -> None:
    @ui.page('/register')
    async def register_page() -> RedirectResponse | None:
        person = await signed_in(clinic)
        if person is not None:
            return RedirectResponse(home_of(person), status_code=303)
        session = browser_session()
        with frame('Create your patient account'), ui.card().classes('w-full max-w-sm self-center gap-3'):
            fields = {
                'full_name': testid(
                    ui.input('Full name').props('outlined autocomplete=name maxlength=200'), 'register-name'
                ),
                'email': testid(ui.input('Email').props('outlined type=email autocomplete=email'), 'register-email'),
                'password': testid(
                    ui.input('Password (at least 8 characters)', password=True, password_toggle_button=True).props(
                        'outlined autocomplete=new-password'
                    ),
                    'register-password',
                ),
            }
            for element in fields.values():
                element.classes('w-full')

            async def submit() -> None:
                clear_errors(fields)
                try:
                    person = await call(
                        register_patient,
                        clinic,
                        email=fields['email'].value,
                        full_name=fields['full_name'].value,
                        password=fields['password'].value,
                    )
                except ClinicError as error:
                    show_error(error, fields)
                    return
                await call(sign_in_browser, clinic, session, person)
                ui.navigate.to('/book')

            testid(ui.button('Create account', on_click=submit).classes('w-full'), 'register-submit')
            with ui.row().classes('text-sm gap-1'):
                ui.label('Already registered?')
                ui.link('Sign in', '/login')
        return None
