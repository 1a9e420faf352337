"""Who is signed in on this browser, and the guards that keep each page to its roles."""

from collections.abc import MutableMapping
from typing import Any
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from models import Role
from services.accounts import signed_in_person
from services.clinic import Clinic
from services.views import Person

HOME = {Role.patient: '/book', Role.doctor: '/schedule', Role.admin: '/admin'}


def current_person(clinic: Clinic) -> Person | None:
    """Return the signed-in person, or None (also when the account was deactivated meanwhile)."""
    person = signed_in_person(clinic, user_id=app.storage.user.get('user_id'))
    if person is None and 'user_id' in app.storage.user:
        app.storage.user.clear()
    return person


def browser_session() -> MutableMapping[str, Any]:
    """This browser's server-side session; take it while building the page and keep it for later handlers."""
    return app.storage.user


def sign_in_browser(session: MutableMapping[str, Any], person: Person) -> None:
    session.clear()
    session['user_id'] = person.id


def sign_out_browser() -> None:
    app.storage.user.clear()


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
