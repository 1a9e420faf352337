"""Friendly pages for an unknown address, a bad one, a refused page and a server error: in the app's frame, with a
link back, the right status, and never an exception's name, text or trace (those go to the log only).

NiceGUI's own handlers show `HTTPException: 404` or the exception's text; FastAPI answers a page's bad parameter
(`/book?doctor=abc`) with raw JSON. Addresses that are not pages (static files, JSON endpoints) keep their answers.
These pages read nothing from the database (an error page must not fail in turn), so their header names no one.
"""

from fastapi import Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from nicegui import Client, app, ui
from nicegui.page import page
from starlette.exceptions import HTTPException

from services.clinic import Clinic

from .api import PREFIX as API_PREFIX
from .api import bad_api_input
from .components.frame import frame
from .language import N_, _, use_page_language

_ANSWERED = 'clinic_error_page_answered'
_LANGUAGES_OF: list[Clinic] = []  # the clinic whose languages these pages are shown in (see `register`)

# status: (the page's title, what happened, in a sentence a person can act on)
EXPLANATIONS = {  # translated where shown
    403: (N_('Not allowed'), N_('Your account cannot open this page.')),
    404: (
        N_('Page not found'),
        N_('There is no page at this address. It may have moved, or the link may be mistyped.'),
    ),
    422: (N_('Page not found'), N_('This address has a mistake in it, so the page cannot be shown.')),
    500: (N_('Something went wrong'), N_('The clinic could not show this page. Please try again in a moment.')),
}


def register(clinic: Clinic | None = None) -> None:
    """Answer errors on pages with the clinic's own pages (call once at start-up). Given the clinic, an error page
    that is not part of another page is shown in the language of the browser asking (its cookie or Accept-Language;
    read from no database), else in English."""
    _LANGUAGES_OF[:] = [clinic] if clinic is not None else []
    app.add_exception_handler(404, _not_found)
    app.add_exception_handler(RequestValidationError, _bad_address)
    app.add_exception_handler(Exception, _server_error)
    app.on_page_exception(_page_failed)


def explain(status: int) -> None:
    """Show what went wrong under the page's heading, with a link back to the start page."""
    ui.status_code(status)
    sentence = EXPLANATIONS[status][1]
    ui.label(_(sentence)).mark('error-explanation')
    ui.link(_('Go to the start page'), '/').mark('error-home-link')


def error_page(status: int) -> None:
    """The whole page for `status`: the frame, its heading, the explanation and the way back."""
    title = EXPLANATIONS[status][0]
    with frame(title):  # the frame translates its title
        explain(status)


async def _not_found(request: Request, exception: Exception) -> Response:
    if not _is_page(request) and isinstance(exception, HTTPException):
        return await http_exception_handler(request, exception)  # e.g. a missing static file: a plain 404
    return _answer(request, 404)


async def _bad_address(request: Request, exception: Exception) -> Response:
    if request.url.path.startswith(API_PREFIX) and isinstance(exception, RequestValidationError):
        return bad_api_input(exception)  # the API's own JSON error
    if not _is_page(request):
        assert isinstance(exception, RequestValidationError)
        return await request_validation_exception_handler(request, exception)
    return _answer(request, 422)


async def _server_error(request: Request, exception: Exception) -> Response:
    if request.scope.get(_ANSWERED):  # NiceGUI calls this too after `_page_failed` answered; its result is unused
        return Response(status_code=500)
    if 'nicegui_page_path' not in request.scope:
        raise exception  # not a page: Starlette's plain "Internal Server Error"
    return _answer(request, 500)  # the server logs the exception


def _page_failed() -> None:
    """Build the page shown when a page's own code raised (NiceGUI logs the exception itself)."""
    ui.context.client.request.scope[_ANSWERED] = True
    error_page(500)


def _answer(request: Request, status: int) -> Response:
    with Client(page(''), request=request) as client:
        for clinic in _LANGUAGES_OF:
            use_page_language(clinic, None)
        error_page(status)
    return client.build_response(request, status)


def _is_page(request: Request) -> bool:
    """Whether the address is one of the app's pages, or no route at all (an unknown address is shown as a page)."""
    if request.scope.get('nicegui_page_path'):
        return True
    route = request.scope.get('route')
    if route is None:
        return request.scope.get('endpoint') in (None, app)
    return getattr(route, 'path', None) in set(Client.page_routes.values())
