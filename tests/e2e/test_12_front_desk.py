"""Issue 14, done when: the front desk books for a patient (live for everyone, audited with the desk as the actor),
and books a walk-in without an account into today's next free time, which the patient sees after claiming it."""

import re
from datetime import datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEZONE, Stopwatch, next_working_day, show_day

ADMIN = 'admin@clinic.example'


def find_patient(desk: Page, app_url: str, text: str) -> None:
    desk.goto(f'{app_url}/desk')
    desk.get_by_test_id('desk-search').fill(text)
    expect(desk.get_by_test_id('desk-patient-row')).to_have_count(1)


def test_the_desk_books_james_with_dr_jones_and_everyone_sees_it_live(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')  # a patient watching that day
    show_day(maria, day, 'Dr. Bob Jones')
    expect(maria.get_by_test_id('slot').filter(has_text='10:00')).to_have_count(1)
    james = person('james.lee@mail.example')
    james.goto(f'{app.url}/appointments')
    expect(james.get_by_text('No upcoming appointments.')).to_be_visible()
    james.evaluate('window.__same_page = true')  # gone after any reload

    desk = person(ADMIN)
    find_patient(desk, app.url, 'James')
    row = desk.get_by_test_id('desk-patient-row')
    expect(row).to_contain_text('James Lee')
    expect(row).to_contain_text('james.lee@mail.example')
    row.get_by_test_id('desk-book').click()
    expect(desk.get_by_test_id('booking-for')).to_have_text('Booking for James Lee')
    show_day(desk, day, 'Dr. Bob Jones')
    desk.get_by_test_id('slot').filter(has_text='10:00').click()
    desk.get_by_test_id('book-reason').fill('Booked at the desk')
    watch = Stopwatch('12 desk books 10:00 for James -> another patient loses it')
    desk.get_by_test_id('book-submit').click()
    expect(maria.get_by_test_id('slot').filter(has_text='10:00')).to_have_count(0, timeout=1000)
    watch.stop()
    expect(desk.get_by_text('Booked for James Lee: Dr. Bob Jones')).to_be_visible()

    rows = james.get_by_test_id('appointment-row')
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text('10:00')
    expect(rows).to_contain_text('Dr. Bob Jones')
    assert james.evaluate('window.__same_page === true'), "James's list was reloaded"

    desk.goto(f'{app.url}/admin')
    desk.get_by_text('Audit trail').click()
    booked = desk.get_by_test_id('audit-table').locator('tr').filter(has_text='Appointment booked')
    expect(booked).to_have_count(1)
    expect(booked).to_contain_text('Clinic Admin')
    expect(booked).to_contain_text('James Lee')


def test_a_walk_in_without_an_account_is_booked_today_and_sees_it_after_claiming(person, chromium, app):
    desk = person(ADMIN)
    _carol_works_around_the_clock_today(desk, app.url)

    desk.goto(f'{app.url}/desk')
    desk.get_by_test_id('desk-new-patient').click()
    desk.get_by_test_id('desk-new-name').fill('Walter Inn')
    desk.get_by_test_id('desk-new-phone').fill('0170 555 1234')
    desk.get_by_test_id('desk-new-submit').click()
    row = desk.get_by_test_id('desk-patient-row')
    expect(row).to_have_count(1)
    expect(row).to_contain_text('Walter Inn')
    expect(row).to_contain_text('01705551234')

    row.get_by_test_id('desk-walk-in').click()
    desk.get_by_test_id('desk-walk-in-doctor').click()
    desk.get_by_role('option', name='Dr. Carol Diaz').click()
    desk.get_by_test_id('desk-walk-in-submit').click()
    expect(desk.get_by_text('Walk-in booked: Walter Inn with Dr. Carol Diaz')).to_be_visible()
    today = datetime.now(ZoneInfo(TIMEZONE))
    expect(row.get_by_test_id('desk-next')).to_contain_text(f'{today:%a} {today.day} {today:%b}')
    booked_at = re.search(r'(\d\d:\d\d) with Dr\. Carol Diaz', row.get_by_test_id('desk-next').inner_text())
    assert booked_at is not None

    row.get_by_test_id('desk-claim-link').click()
    link = desk.get_by_test_id('desk-claim-link-value').inner_text()
    address = urlsplit(link)
    assert address.path == '/reset'

    walter = chromium.new_context(viewport={'width': 1200, 'height': 900}).new_page()
    try:
        walter.goto(f'{app.url}{address.path}?{address.query}')
        # an account the desk made without an email is given one, to sign in with from then on
        walter.get_by_test_id('reset-email').fill('walter.inn@mail.example')
        walter.get_by_test_id('password-new').fill('a walk-in claims it 7')
        walter.get_by_test_id('password-submit').click()
        walter.wait_for_url(lambda url: urlsplit(url).path == '/login')
        walter.get_by_test_id('login-email').fill('walter.inn@mail.example')
        walter.get_by_test_id('login-password').fill('a walk-in claims it 7')
        walter.get_by_test_id('login-submit').click()
        walter.wait_for_url(lambda url: urlsplit(url).path != '/login')
        walter.goto(f'{app.url}/appointments')
        rows = walter.get_by_test_id('appointment-row')
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(booked_at.group(1))
        expect(rows).to_contain_text('Dr. Carol Diaz')
    finally:
        walter.context.close()


def _carol_works_around_the_clock_today(desk: Page, app_url: str) -> None:
    """Today may be a weekend, or its hours over: the desk gives Dr. Carol Diaz hours covering the rest of today
    (10-minute slots until 23:59), so the walk-in has a free time whenever the test runs (but in the day's last
    20 minutes)."""
    now = datetime.now(ZoneInfo(TIMEZONE))
    assert now.time() < time(23, 40), 'too late in the day for any 10-minute slot to be left: run it after midnight'
    desk.goto(f'{app_url}/admin')
    desk.get_by_test_id('doctor-row').filter(has_text='Dr. Carol Diaz').get_by_test_id('doctor-schedule').click()
    desk.get_by_text('Working hours and slot length').click()
    expect(desk.get_by_test_id('hours-submit')).to_be_visible()
    desk.get_by_test_id(f'hours-{now.weekday()}').fill('00:00-23:59')
    desk.get_by_test_id('slot-minutes').click()
    desk.get_by_role('option', name='10 minutes', exact=True).click()
    desk.get_by_test_id('hours-submit').click()
    expect(desk.get_by_text('Working hours saved.')).to_be_visible()
