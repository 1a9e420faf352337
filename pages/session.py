"""Who is signed in on this browser, and the guards that keep each page to its roles."""

from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from models import Role
from services.clinic import Clinic
from services.read_models.values import Person
from services.sign_ins import forget_sign_in, person_signed_in, remember_sign_in

HOME = {Role.patient: '/book', Role.doctor: '/schedule', Role.admin: '/admin'}


def current_person(clinic: Clinic) -> Person | None:
    """Return the signed-in person, or None (also when the account was deactivated meanwhile)."""
    return person_signed_in(clinic, browser_id=browser_session())


def browser_session() -> str:
    """This browser's id (from its signed session cookie); take it while building the page, for later handlers."""
    return str(app.storage.browser['id'])


def sign_in_browser(clinic: Clinic, browser_id: str, person: Person) -> None:
    remember_sign_in(clinic, browser_id=browser_id, person_id=person.id)


def sign_out_browser(clinic: Clinic) -> None:
    forget_sign_in(clinic, browser_id=browser_session())


def to_login(path: str) -> RedirectResponse:
    return RedirectResponse(f'/login?next={quote(path)}', status_code=303)


def home_of(person: Person) -> str:
    return HOME[person.role]


def not_allowed_page() -> None:
    ui.status_code(403)
    with ui.column().classes('w-full items-center q-pa-xl gap-4'):
        ui.icon('block', size='3rem', color='negative')
        ui.label('Not allowed').classes('text-2xl font-bold')
        ui.label('Your account cannot open this page.')
        ui.link('Go to your start page', '/')
