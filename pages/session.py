"""Who is signed in on this browser, and the one guard that keeps each page to its roles.

Every look-up and sign-out runs in a worker thread (through `call`), so no page reads the database on the event loop.
"""

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from fastapi.responses import RedirectResponse
from nicegui import app, ui

from models import Role
from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.read_models.values import Person
from services.sign_ins import forget_sign_in, person_signed_in, remember_sign_in

from .components.calls import call
from .components.frame import frame

HOME = {Role.patient: '/book', Role.doctor: '/schedule', Role.admin: '/admin'}

PageBuilder = Callable[..., Awaitable[Any]]


def guarded(clinic: Clinic, boards: LiveBoards, *roles: Role, title: str = '') -> Callable[[PageBuilder], PageBuilder]:
    """Build a page only for a signed-in person of one of `roles` (any role if none), given as its first argument.

    Someone not signed in is sent to sign in and then back to the address they asked for; a person of another role
    sees "Not allowed" under the page's `title`. The page's own parameters (path, query) stay visible to `ui.page`.
    """

    def guard(build: PageBuilder) -> PageBuilder:
        @functools.wraps(build)
        async def page(**parameters: Any) -> Any:
            person = await signed_in(clinic)
            if person is None:
                return _to_login(_requested_address())
            if roles and person.role not in roles:
                with frame(title, person, clinic=clinic, boards=boards):
                    _not_allowed_page()
                return None
            return await build(person, **parameters)

        signature = inspect.signature(build)
        without_person = list(signature.parameters.values())[1:]
        page.__signature__ = signature.replace(parameters=without_person)  # type: ignore[attr-defined]
        return page

    return guard


async def signed_in(clinic: Clinic) -> Person | None:
    """Return the signed-in person, or None (also when the account was deactivated meanwhile)."""
    return await call(person_signed_in, clinic, browser_id=browser_session())


async def sign_out(clinic: Clinic) -> None:
    await call(forget_sign_in, clinic, browser_id=browser_session())


def browser_session() -> str:
    """This browser's id (from its signed session cookie); take it while building the page, for later handlers."""
    return str(app.storage.browser['id'])


def sign_in_browser(clinic: Clinic, browser_id: str, person: Person) -> None:
    remember_sign_in(clinic, browser_id=browser_id, person_id=person.id)


def home_of(person: Person) -> str:
    return HOME[person.role]


def _requested_address() -> str:
    url = ui.context.client.request.url
    return f'{url.path}?{url.query}' if url.query else url.path


def _to_login(path: str) -> RedirectResponse:
    return RedirectResponse(f'/login?next={quote(path)}', status_code=303)


def _not_allowed_page() -> None:
    ui.status_code(403)
    with ui.column().classes('w-full items-center q-pa-xl gap-4'):
        ui.icon('block', size='3rem', color='negative')
        ui.label('Not allowed').classes('text-2xl font-bold')
        ui.label('Your account cannot open this page.')
        ui.link('Go to your start page', '/')
