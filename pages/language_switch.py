"""`/language/{code}?next=...`: where the header's language switch sends the browser. It keeps the choice in a cookie
(a year; a signed-in person's is kept on their account too) and goes back to the page, now in that language."""

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app

from services.clinic import Clinic

from .language import COOKIE
from .session import local_path

A_YEAR = 365 * 24 * 3600


def register(clinic: Clinic) -> None:
    @app.get('/language/{code}', include_in_schema=False)
    def switch_language(request: Request, code: str, next: str = '/') -> RedirectResponse:
        response = RedirectResponse(local_path(next) or '/', status_code=303)
        # a link on another site changes nothing either: the choice may end up on the account signing in here next
        from_elsewhere = request.headers.get('sec-fetch-site') in ('cross-site', 'same-site')
        if code in clinic.settings.offered_languages and not from_elsewhere:  # anything else changes nothing
            response.set_cookie(COOKIE, code, max_age=A_YEAR, httponly=True, samesite='lax')
        return response
