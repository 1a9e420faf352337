"""Who is signed in on this browser, and the one guard that keeps each page to its roles.

Every look-up and sign-out runs in a worker thread (through `call`), so no page reads the database on the event loop.
A guarded page checks its browser's sign-in again before each service it calls (a tab may outlive a sign-out), and
the browser's id changes at sign-in and at sign-out (see `services.sign_ins`), so an id known to someone else
before never becomes, or stays, a person's session.
"""

import asyncio
import functools
import inspect
import secrets
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi.responses import RedirectResponse
from nicegui import Client, app, ui

from models import Role
from services.clinic import Clinic
from services.errors import SessionEnded
from services.live.boards import LiveBoards
from services.read_models.values import Person
from services.sign_ins import forget_sign_in, open_sign_in, person_signed_in, redeem_sign_in, require_sign_in

from .components.calls import LEAVING_TO_SIGN_OUT, call, check_before_each_call
from .components.frame import frame
from .components.headings import heading
from .errors import explain
from .language import _, use_page_language

HOME = {Role.patient: '/book', Role.doctor: '/schedule', Role.admin: '/admin'}

PageBuilder = Callable[..., Awaitable[Any]]
_PERSON = 'signed-in person'  # in the page's own storage, which ends with the page


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
            use_page_language(clinic, person)
            browser_id = browser_session()
            app.storage.client[_PERSON] = person.id  # so a change to the account can send this page to sign-in
            check_before_each_call(functools.partial(require_sign_in, clinic, browser_id=browser_id, person=person))
            if roles and person.role not in roles:
                with frame(title, person, clinic=clinic, boards=boards):
                    heading(_('Not allowed'), 2).classes('text-xl font-semibold m-0')
                    explain(403)
                return None
            try:
                return await build(person, **parameters)
            except SessionEnded:  # signed out meanwhile (another tab, a new password): `call` already sends the
                return None  # tab to sign-out and sign-in; its HTML may be out already, so no redirect response here

        signature = inspect.signature(build)
        without_person = list(signature.parameters.values())[1:]
        page.__signature__ = signature.replace(parameters=without_person)  # type: ignore[attr-defined]
        return page

    return guard


async def signed_in(clinic: Clinic) -> Person | None:
    """Return the signed-in person, or None (also when the account was deactivated meanwhile)."""
    return await call(person_signed_in, clinic, browser_id=browser_session())


async def sign_out(clinic: Clinic) -> None:
    """End this browser's sign-in and give it a new id (while answering its HTTP request, which carries the cookie)."""
    signed_out = browser_session()
    await call(forget_sign_in, clinic, browser_id=signed_out)
    app.storage.browser['id'] = _new_browser_id()
    _send_open_pages_to_sign_in(signed_out)


def _send_open_pages_to_sign_in(browser_id: str) -> None:
    """This browser's other tabs in this process leave their pages at once, so they show and receive nothing more.

    (Tabs served by another process are refused at their next action, and sent to sign-in then.)"""
    for client in list(Client.instances.values()):
        if client is not ui.context.client and client not in LEAVING_TO_SIGN_OUT and _browser_of(client) == browser_id:
            client.open('/login')


def send_pages_of_person_to_sign_in(person_id: int, *, keep_browser: str | None = None) -> None:
    """Every open page of this person in this process (but those of `keep_browser`) goes to sign-in at once: their
    sign-ins ended (a new password, a deactivated account). Pages served by another process are refused at their
    next action."""
    for client in list(Client.instances.values()):
        if client.storage.get(_PERSON) == person_id and (keep_browser is None or _browser_of(client) != keep_browser):
            with client:  # the page's own navigation, as if it had sent itself there
                ui.navigate.to('/login')


def _browser_of(client: Client) -> str | None:
    try:
        return str(client.request.session['id'])
    except (AttributeError, AssertionError, KeyError):  # a page without a request or without a session
        return None


def browser_session() -> str:
    """This browser's id (from its signed session cookie); take it while building the page, for later handlers."""
    return str(app.storage.browser['id'])


async def sign_in_browser(clinic: Clinic, browser_id: str, person: Person) -> None:
    """Sign this tab's browser in as `person` under a new id, and take it where it was going; ends the caller.

    Only an HTTP response can give the browser its new id, so the tab goes through `/signed-in` with a one-time
    ticket, which travels only over this tab's own connection. The page's own navigation after this call would
    overtake that one, so the handler that signed in ends here (quietly, as a cancelled task).
    """
    ticket = await call(open_sign_in, clinic, browser_id=browser_id, person_id=person.id)
    asked_for = ui.context.client.request.query_params.get('next', '')
    ui.navigate.to(f'/signed-in?{urlencode({"ticket": ticket, "next": asked_for})}')
    raise asyncio.CancelledError


def register_sign_in_steps(clinic: Clinic) -> None:
    """Add `/signed-in`, where a browser redeems its sign-in ticket and gets its new id."""

    @ui.page('/signed-in')
    async def signed_in_page(ticket: str = '', next: str = '') -> RedirectResponse:
        new_id = _new_browser_id()
        person = await call(redeem_sign_in, clinic, ticket=ticket, browser_id=browser_session(), new_browser_id=new_id)
        if person is None:
            return RedirectResponse('/login', status_code=303)
        app.storage.browser['id'] = new_id
        return RedirectResponse(local_path(next) or home_of(person), status_code=303)


def home_of(person: Person) -> str:
    return HOME[person.role]


def local_path(path: str) -> str:
    """`path` if it stays on this site (never another site, never sign-out), else ''.

    Browsers read a backslash as a slash and drop tabs and line breaks, so `/\\evil.example` would leave the site.
    """
    if not path.startswith('/') or path.startswith(('//', '/logout')) or len(path) > 2000:
        return ''
    if any(char == '\\' or unicodedata.category(char) == 'Cc' for char in path):
        return ''
    parts = urlsplit(path)
    return path if not parts.scheme and not parts.netloc else ''


def _new_browser_id() -> str:
    return secrets.token_urlsafe(32)


def _requested_address() -> str:
    url = ui.context.client.request.url
    return f'{url.path}?{url.query}' if url.query else url.path


def _to_login(path: str) -> RedirectResponse:
    return RedirectResponse(f'/login?next={quote(path)}', status_code=303)
