"""/appointments/{id}.ics: one appointment's calendar file, for its patient, its doctor and the front desk.

A plain HTTP route (a download, not a page): the signed-in person is read from the session cookie, and anyone else,
signed in or not, gets the same 404 as for an appointment that does not exist.
"""

import asyncio

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from nicegui import app

from services.calendar_invites import appointment_file
from services.clinic import Clinic
from services.errors import NotFound
from services.sign_ins import person_signed_in


def register(clinic: Clinic) -> None:
    @app.get('/appointments/{appointment_id}.ics')
    async def calendar_file(appointment_id: int, request: Request) -> Response:
        browser_id = request.session.get('id') if 'session' in request.scope else None
        person = await asyncio.to_thread(person_signed_in, clinic, browser_id=browser_id)
        try:
            text, name = await asyncio.to_thread(
                appointment_file, clinic, actor_id=person.id if person else None, appointment_id=appointment_id
            )
        except NotFound:
            return PlainTextResponse('Not found', status_code=404)
        return Response(
            text,
            media_type='text/calendar; charset=utf-8',
            headers={'Content-Disposition': f'attachment; filename="{name}"', 'Cache-Control': 'no-store'},
        )
