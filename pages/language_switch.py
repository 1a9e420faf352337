"""`/language/{code}?next=...`: where the header's language switch sends the browser. It keeps the choice in a cookie
(a year; a signed-in person's is kept on their account too) and goes back to the page, now in that language."""

from fastapi.responses import RedirectResponse
from nicegui import app

from services.clinic import Clinic

from .language import COOKIE
from .session import local_path

A_YEAR = 365 * 24 * 3600


def register(clinic: Clinic) -> None:
    @app.get('/language/{code}', include_in_schema=False)
    def switch_language(code: str, next: str = '/') -> RedirectResponse:
        response = RedirectResponse(local_path(next) or '/', status_code=303)
        if code in clinic.settings.offered_languages:  # anything else changes nothing
            response.set_cookie(COOKIE, code, max_age=A_YEAR, httponly=True, samesite='lax')
        return response
