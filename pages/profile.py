"""/profile: everyone's own name and phone, a new password that signs their other browsers out, and (for patients
and doctors) a private calendar address."""

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.live.boards import LiveBoards
from services.profiles import change_password, profile_of, update_profile
from services.read_models.values import Person
from services.validation import MIN_PASSWORD

from .components.api_token_card import ApiTokenCard
from .components.calendar_feed_card import CalendarFeedCard
from .components.calls import call, clear_errors, show_error
from .components.frame import frame
from .components.headings import heading
from .components.hooks import testid
from .components.notices import popup
from .language import N_, _, ngettext
from .session import browser_session, guarded, send_pages_of_person_to_sign_in


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/profile')
    @guarded(clinic, boards)
    async def profile_page(person: Person) -> None:
        browser_id = browser_session()
        with frame(N_('Profile'), person, clinic=clinic, boards=boards):
            profile = await call(profile_of, clinic, actor_id=person.id)
            with ui.card().classes('w-full max-w-md gap-3'):
                heading(_('You'), 2).classes('text-lg font-semibold m-0')
                if profile.email:
                    ui.label(_('Email: {email}', email=profile.email)).mark('profile-email')
                details = {
                    'full_name': testid(
                        ui.input(_('Name'), value=profile.full_name).props('outlined autocomplete=name maxlength=200'),
                        'profile-name',
                    ),
                    'phone': testid(
                        ui.input(_('Phone'), value=profile.phone).props(
                            'outlined type=tel autocomplete=tel maxlength=40'
                        ),
                        'profile-phone',
                    ),
                }
                for field in details.values():
                    field.classes('w-full')

                async def save() -> None:
                    clear_errors(details)
                    try:
                        saved = await call(
                            update_profile,
                            clinic,
                            actor_id=person.id,
                            full_name=details['full_name'].value,
                            phone=details['phone'].value,
                        )
                    except ClinicError as error:
                        for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                            show_error(problem, details)
                        return
                    details['full_name'].value, details['phone'].value = saved.full_name, saved.phone
                    popup(_('Saved.'), 'positive')

                testid(ui.button(_('Save'), on_click=save), 'profile-submit')

            with ui.card().classes('w-full max-w-md gap-3'):
                heading(_('Change password'), 2).classes('text-lg font-semibold m-0')
                passwords = {
                    'current': testid(
                        ui.input(_('Current password'), password=True, password_toggle_button=True).props(
                            'outlined autocomplete=current-password'
                        ),
                        'password-current',
                    ),
                    'new': testid(
                        ui.input(
                            ngettext(
                                'New password (at least {count} character)',
                                'New password (at least {count} characters)',
                                MIN_PASSWORD,
                            ),
                            password=True,
                            password_toggle_button=True,
                        ).props('outlined autocomplete=new-password'),
                        'password-new',
                    ),
                }
                for field in passwords.values():
                    field.classes('w-full')
                ui.label(_('Changing it signs you out in your other browsers.')).classes('text-sm text-grey-8')

                async def change() -> None:
                    if not button.enabled:
                        return
                    clear_errors(passwords)
                    button.disable()
                    try:
                        await call(
                            change_password,
                            clinic,
                            actor_id=person.id,
                            browser_id=browser_id,
                            current=passwords['current'].value,
                            new=passwords['new'].value,
                        )
                    except ClinicError as error:
                        show_error(error, passwords)
                        return
                    finally:
                        button.enable()
                    passwords['current'].value = passwords['new'].value = ''
                    send_pages_of_person_to_sign_in(person.id, keep_browser=browser_id)
                    popup(_('Your password is changed. Your other browsers are signed out.'), 'positive')

                button = testid(ui.button(_('Change password'), on_click=change), 'password-submit')

            if person.role is not Role.admin:  # the front desk has no appointments of its own to subscribe to
                await CalendarFeedCard(clinic, person).load()
            await ApiTokenCard(clinic, person).load()
