"""Findings 3 and 4 through the real app: a tab left open after signing out acts no more, and a session cookie
known to someone before Maria signs in (or after she signs out) gives them nothing."""

import re

import httpx
from playwright.sync_api import expect

from tests.e2e.conftest import next_working_day, show_day

SIGN_IN = re.compile(r'/login')


def test_a_booking_tab_left_open_after_signing_out_in_another_goes_to_sign_in_at_once_and_books_nothing(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    expect(maria.get_by_text('Selected: 10:00')).to_be_visible()

    other_tab = maria.context.new_page()  # the same browser: the same cookie
    other_tab.goto(f'{app.url}/appointments')
    other_tab.get_by_role('button', name='Sign out').click()
    expect(other_tab).to_have_url(SIGN_IN)

    expect(maria).to_have_url(SIGN_IN)  # without a click: it shows and receives nothing more

    james = person('james.lee@mail.example')  # the time is still free for anyone
    show_day(james, day, 'Dr. Alice Smith')
    expect(james.get_by_test_id('slot').filter(has_text='10:00')).to_be_visible()
    admin = person('admin@clinic.example')
    admin.goto(f'{app.url}/appointments')
    expect(admin.get_by_text('No upcoming appointments.')).to_be_visible()


def test_a_cookie_planted_before_maria_signs_in_gives_no_access_after(chromium, app):
    attacker = httpx.Client(base_url=app.url)
    assert attacker.get('/login').status_code == 200
    planted = attacker.cookies['session']
    context = chromium.new_context()
    context.add_cookies([{'name': 'session', 'value': planted, 'url': app.url}])  # e.g. set on a shared computer
    maria = context.new_page()
    maria.goto(f'{app.url}/login')
    maria.get_by_test_id('login-email').fill('maria.lopez@mail.example')
    maria.get_by_test_id('login-password').fill('demo1234')
    maria.get_by_test_id('login-submit').click()
    expect(maria).to_have_url(re.compile(r'/book$'))
    expect(maria.get_by_text('Maria Lopez')).to_be_visible()

    for path in ('/book', '/appointments'):
        response = attacker.get(path)
        assert response.status_code == 303 and response.headers['location'].startswith('/login'), path
    signed_in_cookie = _session_cookie(context)
    assert signed_in_cookie != planted

    maria.get_by_role('button', name='Sign out').click()
    expect(maria).to_have_url(SIGN_IN)
    assert _session_cookie(context) != signed_in_cookie  # signing out gives the browser a new id as well
    kept = httpx.Client(base_url=app.url, cookies={'session': signed_in_cookie})
    assert kept.get('/book').status_code == 303
    context.close()


def _session_cookie(context) -> str:
    return next(cookie['value'] for cookie in context.cookies() if cookie['name'] == 'session')
