"""No page reaches the database on the event loop: one slow query there would stall every browser at once."""

import asyncio

import pytest
from nicegui import app
from sqlalchemy import event

from tests.ui.conftest import count, element, sign_in
from tests.waiting import until

EVERY_PAGE = [
    '/',
    '/login',
    '/register',
    '/book',
    '/appointments',
    '/schedule',
    '/admin',
    '/admin/doctors/1/schedule',
    '/admin/doctors/999/schedule',  # an unknown doctor: the admin gets "There is no such doctor."
    '/profile',
    '/admin/accounts',
    '/desk?q=lee',  # the front desk's search, with a patient's next appointment
    '/book?for=5',  # the desk booking for a patient (a patient's for= is ignored)
    '/forgot',
    '/reset?token=made-up',
    '/logout',  # last: it signs the browser out
]


@pytest.mark.parametrize(
    'email', [None, 'maria.lopez@mail.example', 'alice.smith@clinic.example', 'admin@clinic.example']
)
async def test_no_page_touches_the_database_on_the_event_loop(browser, email):
    engine = app.state.clinic.db.engine  # the app has started (and migrated, on the loop) by now
    on_the_loop: list[tuple[str, str]] = []
    visiting = 'sign-in'

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # a worker thread: where database work belongs
        on_the_loop.append((visiting, statement))

    event.listen(engine, 'before_cursor_execute', record)
    try:
        person = browser()
        if email is not None:
            await sign_in(person, email)
        for visiting in EVERY_PAGE:
            response = await person.http_client.get(visiting, follow_redirects=True)
            assert response.status_code in (200, 403, 404), visiting
            if response.status_code == 200:  # connect too, so what starts on connection runs as well
                await person.open(visiting)
                await _inbox_shown(person)
    finally:
        event.remove(engine, 'before_cursor_execute', record)
    assert on_the_loop == []


async def _inbox_shown(person) -> None:
    """Wait until the header's bell (on pages for signed-in people) has loaded its messages."""
    if count(person, 'clinic-bar'):
        bar = element(person, 'clinic-bar')
        if bar.props['inbox'] is not None:
            await until(lambda: bar.inbox_shown)
