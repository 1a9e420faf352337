"""Patients sign themselves up: the page answers alike for every address, and the e-mail sent there finishes it."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from services.accounts import register_patient_in_turn
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.validation import MIN_PASSWORD

from .components.calls import clear_errors, show_error
from .components.frame import frame
from .components.hooks import testid
from .language import N_, _, current_language, ngettext, use_page_language
from .session import home_of, signed_in


def register(clinic: Clinic) -> None:
    @ui.page('/register')
    async def register_page() -> RedirectResponse | None:
        person = await signed_in(clinic)
        if person is not None:
            return RedirectResponse(home_of(person), status_code=303)
        use_page_language(clinic, None)
        with frame(N_('Create your patient account')):
            with ui.card().classes('w-full max-w-sm self-center gap-3') as form:
                fields = {
                    'full_name': testid(
                        ui.input(_('Full name')).props('outlined autocomplete=name maxlength=200'), 'register-name'
                    ),
                    'email': testid(
                        ui.input(_('Email')).props('outlined type=email autocomplete=email maxlength=254'),
                        'register-email',
                    ),
                    'password': testid(
                        ui.input(
                            ngettext(
                                'Password (at least {count} character)',
                                'Password (at least {count} characters)',
                                MIN_PASSWORD,
                            ),
                            password=True,
                            password_toggle_button=True,
                        ).props('outlined autocomplete=new-password'),
                        'register-password',
                    ),
                }
                for element in fields.values():
                    element.classes('w-full')
                button = testid(ui.button(_('Create account')).classes('w-full'), 'register-submit')
                with ui.row().classes('text-sm gap-1'):
                    ui.label(_('Already registered?'))
                    ui.link(_('Sign in'), '/login')
            with ui.card().classes('w-full max-w-sm self-center gap-3') as sent:
                ui.icon('mark_email_unread', size='2rem', color='primary')
                answer = testid(ui.label(), 'register-answer')
                ui.label(
                    _('No e-mail after a few minutes? Look in your spam folder, or sign up again for a new link.')
                ).classes('text-sm text-grey-8')
            sent.visible = False

            async def submit() -> None:
                if not button.enabled:
                    return
                clear_errors(fields)
                button.disable()  # one sign-up at a time from a page, and none after it answered (one e-mail a page)
                try:
                    text = await register_patient_in_turn(
                        clinic,
                        email=fields['email'].value,
                        full_name=fields['full_name'].value,
                        password=fields['password'].value,
                        language=current_language(),
                    )
                except ClinicError as error:
                    for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                        show_error(problem, fields)
                    button.enable()
                    return
                fields['password'].value = ''
                answer.set_text(text)  # the same whether or not the address had an account: the e-mail tells
                form.visible, sent.visible = False, True

            button.on_click(submit)
        return None
