"""Scenario 15: a patient books in Chromium against the real app process, and the confirmation with its calendar
invitation reaches a real SMTP server on loopback within a few seconds; cancelling sends the matching cancellation."""

import time
from collections.abc import Iterator

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.conftest import RESULTS, App, Stopwatch, next_working_day, show_day
from tests.factories import Mailbox

MARIA = 'maria.lopez@mail.example'


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as mailbox:
        yield mailbox


@pytest.fixture
def app(tmp_path, request, mailbox) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', mailbox.environment)
    server.start()
    yield server
    server.stop()


def mail_to(mailbox: Mailbox, subject_start: str, within: float = 10.0):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        found = [mail for mail in mailbox.to(MARIA) if mail['Subject'].startswith(subject_start)]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f'no "{subject_start}" mail reached {MARIA} within {within} s')


def invitation(mail):
    [part] = [part for part in mail.walk() if part.get_content_type() == 'text/calendar']
    calendar = Calendar.from_ical(part.get_content())
    return calendar['METHOD'], calendar.walk('VEVENT')[0]


def test_a_booking_made_in_the_browser_is_confirmed_by_mail_with_an_invitation(person, mailbox, app):
    day = next_working_day()
    maria = person(MARIA)
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    watch = Stopwatch('15 book in Chromium -> confirmation at the SMTP server')
    maria.get_by_test_id('book-submit').click()
    [booked] = mail_to(mailbox, 'Booked: Dr. Alice Smith')
    watch.stop()
    method, event = invitation(booked)
    assert method == 'REQUEST' and event.decoded('DTSTART').strftime('%Y-%m-%d %H:%M') == f'{day} 10:00'

    maria.goto(f'{app.url}/appointments')
    maria.get_by_test_id('appointment-cancel').click()
    maria.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('appointment-status')).to_have_text('Cancelled')
    [cancelled] = mail_to(mailbox, 'Cancelled: Dr. Alice Smith')
    method, cancelled_event = invitation(cancelled)
    assert method == 'CANCEL' and cancelled_event['UID'] == event['UID']
    assert cancelled_event['SEQUENCE'] > event['SEQUENCE']
