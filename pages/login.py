"""Sign in, sign out, and the start page that sends each person where they work."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from services.accounts import sign_in_in_turn
from services.clinic import Clinic
from services.errors import SignInRefused
from services.sign_in_limits import MustWait

from .components.calls import call
from .components.frame import frame
from .components.hooks import testid
from .forgot import PASSWORD_SET
from .language import N_, _, keep_browser_choice, use_page_language
from .session import browser_session, home_of, local_path, sign_in_browser, sign_out, signed_in
from .visitors import address_of


def register(clinic: Clinic) -> None:
    @ui.page('/')
    async def start_page() -> RedirectResponse:
        person = await signed_in(clinic)
        return RedirectResponse(home_of(person) if person else '/login', status_code=303)

    @ui.page('/logout')
    async def logout_page() -> RedirectResponse:
        await sign_out(clinic)
        return RedirectResponse('/login', status_code=303)

    @ui.page('/login')
    async def login_page(next: str = '', reset: str = '') -> RedirectResponse | None:
        person = await signed_in(clinic)
        if person is not None:
            return RedirectResponse(local_path(next) or home_of(person), status_code=303)
        use_page_language(clinic, None)
        session = browser_session()
        address = address_of(ui.context.client.request, clinic.settings.trusted_proxies)
        with frame(N_('Sign in')), ui.card().classes('w-full max-w-sm self-center gap-3'):
            if reset == 'done':
                testid(ui.label(_(PASSWORD_SET)).classes('text-positive'), 'login-notice')
            email = testid(
                ui.input(_('Email')).props('outlined autocomplete=username type=email maxlength=254').classes('w-full'),
                'login-email',
            )
            password = testid(
                ui.input(_('Password'), password=True, password_toggle_button=True)
                .props('outlined autocomplete=current-password')
                .classes('w-full'),
                'login-password',
            )
            message = ui.label().classes('text-negative').mark('login-message')
            message.visible = False

            def usable(enabled: bool) -> None:
                password.set_enabled(enabled)  # while disabled, their events are ignored before any handler runs
                button.set_enabled(enabled)

            async def submit() -> None:
                if not button.enabled:
                    return
                message.visible = False
                usable(False)  # one attempt at a time from a page
                pause = 0
                try:
                    person = await sign_in_in_turn(clinic, email=email.value, password=password.value, client=address)
                except SignInRefused as refusal:  # the service slows down repeated failures (sign_in_limits.py)
                    message.set_text(refusal.message)
                    message.visible = True
                    password.value = ''
                    pause = refusal.seconds if isinstance(refusal, MustWait) else 0
                    return
                finally:  # asked to wait, the page waits too: its clicks then cost nothing until it may try again
                    if pause:
                        ui.timer(pause, lambda: usable(True), once=True)
                    else:
                        usable(True)
                await keep_browser_choice(clinic, person)
                await call(sign_in_browser, clinic, session, person)  # goes on to `next` or home, and ends here

            async def enter_in_email() -> None:
                if password.value:
                    await submit()
                else:  # the next thing to fill in
                    password.run_method('focus')

            email.on('keydown.enter', enter_in_email)
            password.on('keydown.enter', submit)
            button = testid(ui.button(_('Sign in'), on_click=submit).classes('w-full'), 'login-submit')
            ui.link(_('Forgot password?'), '/forgot').classes('text-sm').mark('forgot-link')
            with ui.row().classes('text-sm gap-1'):
                ui.label(_('New patient?'))
                ui.link(_('Create an account'), '/register')
        return None
