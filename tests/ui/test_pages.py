"""Sign-up and sign-in forms, bad input on every form, the admin's page, and no leaks after many visits."""

import asyncio
import threading
from datetime import timedelta

import httpx
import pytest
from nicegui import ElementFilter

from services.live import boards as live_boards
from tests.ui.conftest import WAIT, count, element, field_error, next_monday, open_day, open_page, pick, sign_in
from tests.waiting import until


async def test_a_wrong_password_gets_one_generic_message(browser):
    visitor = browser()
    await visitor.open('/login')
    visitor.find(marker='login-email').type('maria.lopez@mail.example')
    visitor.find(marker='login-password').type('wrong-password')
    visitor.find(marker='login-submit').click()
    await visitor.should_see('Wrong email or password.', retries=WAIT)
    await visitor.should_see(marker='login-submit')


async def test_a_patient_signs_up_and_bad_input_is_shown_next_to_the_field(browser):
    visitor = browser()
    await visitor.open('/register')
    visitor.find(marker='register-name').type('Nora Brandt')
    visitor.find(marker='register-email').type('maria.lopez@mail.example')
    visitor.find(marker='register-password').type('short')
    visitor.find(marker='register-submit').click()
    assert await field_error(visitor, 'register-password') == 'Use at least 10 characters.'
    visitor.find(marker='register-email').clear().type('nora@mail')
    visitor.find(marker='register-submit').click()
    assert await field_error(visitor, 'register-email') == 'Enter a valid email address, like name@example.com.'
    visitor.find(marker='register-email').clear().type('nora@mail.example')
    visitor.find(marker='register-password').clear().type('long-enough')
    visitor.find(marker='register-submit').click()
    await visitor.should_see('Check your inbox at nora@mail.example', retries=WAIT)  # the link there finishes it


@pytest.mark.parametrize(
    ('start', 'end', 'field', 'message'),
    [
        ('{day} 11:00', '{day} 09:00', 'unavailability-end', 'The end must be after the start.'),
        ('tomorrow', '{day} 09:00', 'unavailability-start', 'Enter a date and time as YYYY-MM-DD HH:MM'),
        ('{day} 09:00', '{day} 25:00', 'unavailability-end', 'Enter a date and time as YYYY-MM-DD HH:MM'),
        ('2020-01-01 09:00', '2020-01-01 10:00', 'unavailability-end', 'This period is already over.'),
        ('2027-03-28 02:30', '2027-03-28 04:00', 'unavailability-start', '02:30 does not exist on Sunday 28 March'),
    ],
)
async def test_bad_periods_get_a_message_next_to_the_field_and_save_nothing(browser, start, end, field, message):
    day = next_monday()
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    alice.find(marker='unavailability-start').type(start.format(day=day))
    alice.find(marker='unavailability-end').type(end.format(day=day))
    alice.find(marker='unavailability-reason').type('<script>alert(1)</script>')
    alice.find(marker='unavailability-submit').click()
    assert (await field_error(alice, field) or '').startswith(message)
    assert count(alice, 'unavailability-row') == 0


async def test_a_reason_over_500_characters_is_refused_on_the_schedule(browser):
    day = next_monday()
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    alice.find(marker='unavailability-start').type(f'{day} 09:00')
    alice.find(marker='unavailability-end').type(f'{day} 10:00')
    alice.find(marker='unavailability-reason').type('x' * 501)
    alice.find(marker='unavailability-submit').click()
    assert 'too long' in (await field_error(alice, 'unavailability-reason') or '')
    assert count(alice, 'unavailability-row') == 0


async def test_bad_booking_dates_are_explained(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    maria.find(marker='book-date').clear().type('2026-02-30')
    assert '2026-02-30 is not a day in the calendar' in (await field_error(maria, 'book-date') or '')
    maria.find(marker='book-date').clear().type('2099-01-01')
    assert (await field_error(maria, 'book-date') or '').startswith('Bookings open 60 days ahead. Choose a day up to ')
    assert count(maria, 'slot') == 0
    maria.find(marker='book-date').clear().type('2020-01-01')
    assert (await field_error(maria, 'book-date')) == 'This day has passed. Choose today or a later day.'
    saturday = next_monday() - timedelta(days=2)
    maria.find(marker='book-date').clear().type(saturday.isoformat())
    await maria.should_see('Dr. Alice Smith does not work on Saturdays.', retries=WAIT)


def heading_says_something(user) -> bool:
    """Whether the booking page's heading over the free times has its words yet (it gets them with the day)."""
    with user:
        return any(label.text for label in ElementFilter(marker='slots-heading'))


async def test_thousands_of_visits_leave_no_subscription_behind(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await until(lambda: heading_says_something(maria), timeout=15)  # the booking page she landed on shows its day
    health = httpx.AsyncClient(transport=maria.http_client._transport, base_url='http://test')
    before = (await health.get('/healthz')).json()
    monday = next_monday()  # a day with free times whatever the hour (today's may all have passed)
    for _ in range(2000):
        await maria.open(f'/book?doctor=1&day={monday}')
        await until(lambda: count(maria, 'slot') > 0)  # the page is watching the day now
        maria.client.delete()  # the browser left (NiceGUI does this when a socket stays disconnected)
    after = (await health.get('/healthz')).json()
    assert after['watched'] == before['watched']
    assert before['watched']['days'] == 1 and before['watched']['doctor_lists'] == 1  # the page still open
    assert before['watched']['schedules'] == before['watched']['agendas'] == before['watched']['front_desk_lists'] == 0
    assert after['browsers'] <= before['browsers']


async def test_a_tab_closed_while_its_next_day_loads_leaves_that_day_unwatched(browser, monkeypatch):
    """Maria types the next day and closes the tab while it loads: once the load ends, nothing watches that day (the
    page no longer exists to let go of it)."""
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await until(lambda: heading_says_something(maria), timeout=15)
    monday = next_monday()
    await open_day(maria, monday)
    health = httpx.AsyncClient(transport=maria.http_client._transport, base_url='http://test')
    watched: list[int] = []

    async def days_watched() -> int:
        watched.append((await health.get('/healthz')).json()['watched']['days'])
        return watched[-1]

    before = await days_watched()  # the page she landed on, and Monday's
    tuesday = monday + timedelta(days=1)
    loading, held, loaded = threading.Event(), threading.Event(), threading.Event()
    load = live_boards.day_slots

    def held_load(clinic, *, doctor_id, day):  # Tuesday's load waits in its worker thread until the tab is gone
        if day != tuesday:
            return load(clinic, doctor_id=doctor_id, day=day)
        loading.set()
        assert held.wait(30), 'the test never let the load go'
        try:
            return load(clinic, doctor_id=doctor_id, day=day)
        finally:
            loaded.set()

    monkeypatch.setattr(live_boards, 'day_slots', held_load)
    maria.find(marker='book-date').clear().type(tuesday.isoformat())
    await until(loading.is_set, timeout=10)
    maria.client.delete()  # the browser left while Tuesday loads
    held.set()
    await until(loaded.is_set, timeout=10)
    for _ in range(WAIT):
        if await days_watched() == before - 1:  # only the page she landed on
            break
        await asyncio.sleep(0.1)
    assert watched[-1] == before - 1, watched


async def test_the_admin_sees_the_scheduler_is_alive(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'appointments-shown')
    await admin.should_see('Scheduled jobs')
    await admin.should_see('Open the next bookable day at midnight')
    await admin.should_see('Mark finished appointments completed')


async def test_the_admin_browses_the_audit_trail_with_filters(browser):
    maria, alice, admin = browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    pick(maria, '10:00')
    maria.find(marker='book-reason').type('<i>private</i>')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    alice.find(marker='unavailability-start').type(f'{next_monday()} 14:00')
    alice.find(marker='unavailability-end').type(f'{next_monday()} 15:00')
    alice.find(marker='unavailability-submit').click()
    await alice.should_see(marker='unavailability-row', retries=WAIT)

    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'appointments-shown')
    await until(lambda: count(admin, 'audit-table') == 1)  # built after the lists above it
    table = element(admin, 'audit-table')
    await until(lambda: len(table.rows) == 2)
    assert [(r['who'], r['action']) for r in table.rows] == [
        ('Dr. Alice Smith', 'Unavailable period added'),
        ('Maria Lopez', 'Appointment booked'),
    ]
    monday = next_monday()
    assert table.rows[0]['change'] == f'Mon {monday.day} {monday:%b} 14:00–15:00 (Other)'  # clinic-local, no JSON
    admin.find(marker='audit-action').click()
    admin.find('Appointment booked').click()
    await until(lambda: [r['action'] for r in table.rows] == ['Appointment booked'])
    admin.find(marker='audit-day').type('2001-01-01')
    await until(lambda: table.rows == [])
    assert count(admin, 'audit-table') == 1 and 'edit' not in str(table.props)  # a read-only table
