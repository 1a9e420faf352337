"""/confirm-email: the link from a patient's sign-up e-mail confirms their address and signs them in.

Opening the link only shows the address and a button: mail filters and link previews open links too, and must not
use up the one-time link (or be signed in by it). The patient's click confirms, then goes on to /book signed in.
"""

from nicegui import ui

from services.clinic import Clinic
from services.email_checks import LINK_NO_LONGER_WORKS, confirm_email, email_of_link
from services.errors import ClinicError

from .components.calls import call
from .components.frame import frame
from .components.hooks import testid
from .language import N_, _, use_page_language
from .session import browser_session, sign_in_browser


def register(clinic: Clinic) -> None:
    @ui.page('/confirm-email')
    async def confirm_email_page(token: str = '') -> None:
        email = await call(email_of_link, clinic, token=token)
        browser_id = browser_session()
        use_page_language(clinic, None)
        with frame(N_('Confirm your email address')), ui.card().classes('w-full max-w-sm self-center gap-3') as card:
            if email is None:
                _no_longer_works()
                return

            async def confirm() -> None:
                if not button.enabled:
                    return
                button.disable()
                try:
                    person = await call(confirm_email, clinic, token=token)
                except ClinicError:  # used meanwhile (another tab), or out of time
                    card.clear()
                    with card:
                        _no_longer_works()
                    return
                await sign_in_browser(clinic, browser_id, person)  # on to /book, signed in; ends this handler

            ui.label(_('Confirm {email} as your email address to finish creating your account.', email=email))
            button = testid(
                ui.button(_('Confirm and sign in'), on_click=confirm).classes('w-full'), 'confirm-email-submit'
            )


def _no_longer_works() -> None:
    testid(ui.label(_(LINK_NO_LONGER_WORKS)), 'confirm-email-invalid')
    ui.label(_('Sign up again with the same address for a new link; if your account is already confirmed, sign in.'))
    with ui.row().classes('gap-4'):
        ui.link(_('Sign up again'), '/register')
        ui.link(_('Sign in'), '/login')
