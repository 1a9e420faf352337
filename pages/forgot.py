"""/forgot asks for a link to set a new password; /reset?token= sets it with that link (or one from the front desk).

Both answer alike for every address and account; opening the link only shows the form, so a mail filter opening it
uses nothing up.
"""

from fastapi.responses import RedirectResponse
from nicegui import ui

from services.clinic import Clinic
from services.errors import ClinicError, InvalidInput
from services.password_resets import ANSWER, LINK_NO_LONGER_WORKS, needs_email, request_reset, reset_password
from services.validation import MIN_PASSWORD, clean_email

from .components.calls import call, clear_errors, show_error
from .components.frame import frame
from .components.hooks import testid
from .language import N_, _, ngettext, use_page_language
from .session import home_of, send_pages_of_person_to_sign_in, signed_in
from .visitors import address_of

PASSWORD_SET = N_('Your new password is set. Sign in with it.')


def register(clinic: Clinic) -> None:
    @ui.page('/forgot')
    async def forgot_page() -> RedirectResponse | None:
        person = await signed_in(clinic)
        if person is not None:
            return RedirectResponse(home_of(person), status_code=303)
        use_page_language(clinic, None)
        address = address_of(ui.context.client.request, clinic.settings.trusted_proxies)
        with frame(N_('Forgot your password?')):
            with ui.card().classes('w-full max-w-sm self-center gap-3') as form:
                ui.label(_('Enter the email address of your account: we send a link there to set a new password.'))
                email = testid(
                    ui.input(_('Email'))
                    .props('outlined type=email autocomplete=email maxlength=254')
                    .classes('w-full'),
                    'forgot-email',
                )
                button = testid(ui.button(_('Send me a link')).classes('w-full'), 'forgot-submit')
                ui.link(_('Back to sign in'), '/login').classes('text-sm')
            with ui.card().classes('w-full max-w-sm self-center gap-3') as sent:
                ui.icon('mark_email_unread', size='2rem', color='primary')
                answer = testid(ui.label(), 'forgot-answer')
                ui.label(_('No e-mail after a few minutes? Look in your spam folder, or ask the front desk.')).classes(
                    'text-sm text-grey-8'
                )
                ui.link(_('Back to sign in'), '/login').classes('text-sm')
            sent.visible = False

            async def submit() -> None:
                if not button.enabled:
                    return
                clear_errors({'email': email})
                button.disable()  # one request a page at a time
                try:
                    text = await call(request_reset, clinic, email=email.value, client=address)
                except ClinicError as error:
                    show_error(error, {'email': email})
                    button.enable()
                    return
                answer.set_text(_(ANSWER, address=clean_email(email.value)) if text else text)  # alike for any address
                form.visible, sent.visible = False, True

            button.on_click(submit)
            email.on('keydown.enter', submit)
        return None

    @ui.page('/reset')
    async def reset_page(token: str = '') -> None:
        without_email = await call(needs_email, clinic, token=token)
        use_page_language(clinic, None)
        with frame(N_('Set a new password')), ui.card().classes('w-full max-w-sm self-center gap-3') as card:
            if without_email is None:
                _no_longer_works()
                return
            fields = {}
            if without_email:  # an account the front desk made: its owner signs in with the address given here
                ui.label(_('Your account has no email address yet: enter the one you will sign in with.'))
                fields['email'] = testid(
                    ui.input(_('Email'))
                    .props('outlined type=email autocomplete=email maxlength=254')
                    .classes('w-full'),
                    'reset-email',
                )
            fields['password'] = password = testid(
                ui.input(
                    ngettext(
                        'New password (at least {count} character)',
                        'New password (at least {count} characters)',
                        MIN_PASSWORD,
                    ),
                    password=True,
                    password_toggle_button=True,
                )
                .props('outlined autocomplete=new-password')
                .classes('w-full'),
                'password-new',
            )

            async def submit() -> None:
                if not button.enabled:
                    return
                clear_errors(fields)
                button.disable()
                email = fields['email'].value if 'email' in fields else ''
                try:
                    person = await call(reset_password, clinic, token=token, password=password.value, email=email)
                except InvalidInput as error:  # the password rule, or the email: the link still works
                    show_error(error, fields)
                    button.enable()
                    return
                except ClinicError:  # used meanwhile (another tab), or out of time
                    card.clear()
                    with card:
                        _no_longer_works()
                    return
                send_pages_of_person_to_sign_in(person.id)  # their sign-ins ended: open pages here follow at once
                ui.navigate.to('/login?reset=done')

            password.on('keydown.enter', submit)
            button = testid(ui.button(_('Set password'), on_click=submit).classes('w-full'), 'password-submit')


def _no_longer_works() -> None:
    testid(ui.label(_(LINK_NO_LONGER_WORKS)), 'reset-invalid')
    with ui.row().classes('gap-4'):
        ui.link(_('Ask for a new link'), '/forgot')
        ui.link(_('Sign in'), '/login')
