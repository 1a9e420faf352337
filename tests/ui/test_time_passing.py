"""Time passing on open pages, with the clinic's clock set by the test: slots close, days open, reminders ring."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from nicegui import app

from services.clock import FixedClock
from tests.ui.conftest import (
    TIMEZONE,
    WAIT,
    bell_messages,
    element,
    field_error,
    mark_all_read,
    next_monday,
    open_day,
    open_page,
    pick,
    seen_popups,
    shows_times,
    sign_in,
    slot_labels,
    unread,
)
from tests.waiting import until

ZONE = ZoneInfo(TIMEZONE)


def at(hh: int, mm: int = 0, ss: int = 0, day=None) -> datetime:
    return datetime.combine(day or next_monday(), time(hh, mm, ss), tzinfo=ZONE)


@pytest.fixture
def clock() -> FixedClock:
    """The running app's clock, stopped at 08:00 on a Monday; tests move it."""
    fixed = FixedClock(at(8))
    app.state.clinic.clock = fixed
    return fixed


async def test_an_open_booking_page_loses_each_slot_at_its_start_quietly(browser, popups, clock):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    clock.set(at(9, 59, 59))
    await app.state.scheduler.time_passing.on_slot_closing()
    assert slot_labels(maria)[0] == '10:00'
    pick(maria, '10:00')

    clock.set(at(10))
    await (
        app.state.scheduler.time_passing.on_slot_closing()
    )  # the one job for the whole app, fired at the 10:00 boundary

    await until(lambda: slot_labels(maria)[0] == '10:30')
    await maria.should_see('10:00 is no longer available. Please choose another time.')
    assert seen_popups(maria, popups) == []  # time passing makes no popup
    assert [job.name for job in app.state.scheduler.jobs() if 'slot' in job.name]  # and the next boundary is planned


async def test_booking_a_slot_that_passed_while_the_page_was_open_gets_a_clear_message(browser, clock):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    pick(maria, '10:30')
    clock.set(at(10, 30, 1))  # no boundary job has run yet: the button is still there
    maria.find(marker='book-submit').click()
    await maria.should_see('10:30 can no longer be booked: it is too close or already past.', retries=WAIT)
    await maria.open('/appointments')
    await maria.should_see('No upcoming appointments.', retries=WAIT)


async def test_midnight_opens_the_next_bookable_day_on_open_pages(browser, clock):
    monday = next_monday()
    newly_bookable = monday + timedelta(days=61)
    while newly_bookable.weekday() >= 5:
        newly_bookable += timedelta(days=1)
    clock.set(datetime.combine(newly_bookable - timedelta(days=61), time(23, 59, 59), tzinfo=ZONE))
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, f'/book?doctor=1&day={newly_bookable}', 'book-doctor')
    assert (await field_error(maria, 'book-date') or '').startswith('Bookings open 60 days ahead.')

    clock.advance(timedelta(seconds=6))  # 00:00:05, when the rollover job runs
    await app.state.scheduler.time_passing.on_new_day()

    await shows_times(maria)
    assert slot_labels(maria)[0] == '09:00'
    assert element(maria, 'book-date').error is None


async def test_a_reminder_rings_the_bell_pops_up_and_can_be_marked_read(browser, popups, clock):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    pick(maria, '11:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)

    def reminder_jobs():
        return [job for job in app.state.scheduler.scheduler.get_jobs() if job.name.startswith('Reminder')]

    await until(lambda: len(reminder_jobs()) == 1)  # planned from the booking event
    jobs = reminder_jobs()
    assert [job.trigger.run_date for job in jobs] == [at(9)]  # 2 h before; the 24 h lead had passed at booking
    send = jobs[0]
    assert unread(maria) == 0

    clock.set(at(9))
    await send.func(*send.args)  # the job runs at its time
    await send.func(*send.args)  # and once more (a retry): still one reminder

    await until(lambda: unread(maria) == 1)
    text = (
        f'Reminder: your appointment with Dr. Alice Smith is on Mon {next_monday().day} {next_monday():%b %Y}, 11:00.'
    )
    assert seen_popups(maria, popups).count(text) == 1
    await maria.should_see(text)
    assert bell_messages(maria) == [text]
    mark_all_read(maria)
    await until(lambda: unread(maria) == 0)


async def test_a_doctor_marks_a_no_show_for_a_started_appointment(browser, clock):
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    pick(maria, '09:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    clock.set(at(9, 20))
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    await alice.should_see(marker='recent-appointment', retries=WAIT)
    await alice.should_see('In progress')
    alice.find(marker='appointment-no-show').click()
    await alice.should_see(marker='confirm-accept', retries=WAIT)  # it asks first (see test_hours_and_clashes.py)
    alice.find(marker='confirm-accept').click()
    await alice.should_see('No-show', retries=WAIT)
    await alice.should_not_see(marker='appointment-no-show', retries=WAIT)
