"""/calendar/{token}.ics: a person's private calendar feed, for their calendar app to subscribe to.

A plain HTTP route, not a page: the long random token in the address is the only credential (a calendar app sends no
cookie), so no session is read. An unknown or turned-off address gets a plain 404. The app's server logs no request
lines (uvicorn logs warnings only), so the token is not written to its log.
"""

import asyncio

from fastapi.responses import PlainTextResponse, Response
from nicegui import app

from services.calendar_feeds import FEED_PATH, feed_calendar
from services.clinic import Clinic
from services.errors import NotFound


def register(clinic: Clinic) -> None:
    @app.api_route(FEED_PATH + '{token}.ics', methods=['GET', 'HEAD'])
    async def calendar_feed(token: str) -> Response:
        try:
            text = await asyncio.to_thread(feed_calendar, clinic, token=token)
        except NotFound:
            return PlainTextResponse('Not found', status_code=404, headers={'Cache-Control': 'no-store'})
        return Response(
            text,
            media_type='text/calendar; charset=utf-8',
            headers={
                'Content-Disposition': 'inline; filename="appointments.ics"',
                'Cache-Control': 'private, no-store',
            },
        )
