"""Working hours changed over bookings ask first; kept clashes stay marked; the Today list follows the clock."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from nicegui import app

from services.clock import FixedClock
from tests.ui.conftest import TIMEZONE, WAIT, count, next_monday, open_day, open_page, pick, seen_popups, sign_in

ZONE = ZoneInfo(TIMEZONE)


async def book_monday(user, at: str, reason: str = '') -> None:
    await open_day(user, next_monday())
    pick(user, at)
    if reason:
        user.find(marker='book-reason').type(reason)
    user.find(marker='book-submit').click()
    await user.should_see('Booked: Dr. Alice Smith', retries=WAIT)


async def clear_monday(alice) -> None:
    alice.find(marker='hours-0').clear()
    alice.find(marker='hours-submit').click()
    await alice.should_see(marker='conflict-dialog', retries=WAIT)


async def test_clearing_a_booked_day_asks_and_cancelling_tells_the_patient_live(browser, popups):
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_monday(maria, '10:00', 'Check-up')
    await open_page(maria, '/appointments', 'appointments-shown')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'schedule-appointment')  # loaded: her booking is listed
    await alice.should_see('Maria Lopez · Check-up')

    await clear_monday(alice)
    await alice.should_see('1 booked appointment outside the new hours')
    assert count(alice, 'conflict-appointment') == 1
    alice.find(marker='conflict-cancel').click()

    await maria.should_see('Cancelled', retries=WAIT)
    await maria.should_see('The doctor is unavailable at that time')
    assert any('was cancelled by Dr. Alice Smith' in p for p in seen_popups(maria, popups))
    await alice.should_see('No upcoming appointments.', retries=WAIT)
    assert 'Working hours saved; 1 patient was told their appointment is cancelled.' in seen_popups(alice, popups)


async def test_going_back_saves_nothing(browser, popups):
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_monday(maria, '10:00')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'schedule-appointment')  # loaded: her booking is listed
    await clear_monday(alice)
    alice.find(marker='conflict-back').click()
    await alice.should_not_see(marker='conflict-dialog', retries=WAIT)
    assert not any(p.startswith('Working hours saved') for p in seen_popups(alice, popups))
    await open_day(maria, next_monday())  # Monday is still a working day


async def test_kept_appointments_are_marked_on_the_schedule_and_the_admin_page_until_the_hours_cover_them(
    browser, popups
):
    maria, alice, admin = browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_monday(maria, '10:00')
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'appointments-shown')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'schedule-appointment')  # loaded: her booking is listed
    assert count(alice, 'appointment-clash') == 0

    await clear_monday(alice)
    alice.find(marker='conflict-keep').click()

    await alice.should_see('Outside working hours', retries=WAIT)
    assert count(alice, 'appointment-clash') == 1
    await admin.should_see('Outside working hours', retries=WAIT)
    assert 'Working hours saved.' in seen_popups(alice, popups)

    alice.find(marker='hours-0').clear().type('09:00-12:00')
    alice.find(marker='hours-submit').click()
    await alice.should_not_see(marker='appointment-clash', retries=WAIT)
    await admin.should_not_see(marker='appointment-clash', retries=WAIT)


async def test_an_appointment_kept_in_a_block_is_marked(browser):
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_monday(maria, '10:00')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'schedule-appointment')
    monday = next_monday()
    alice.find(marker='unavailability-start').type(f'{monday} 09:00')
    alice.find(marker='unavailability-end').type(f'{monday} 11:00')
    alice.find(marker='unavailability-submit').click()
    await alice.should_see(marker='conflict-dialog', retries=WAIT)
    await alice.should_see('1 booked appointment in this period')
    alice.find(marker='conflict-keep').click()
    await alice.should_see('During unavailable time', retries=WAIT)


@pytest.fixture
def clock() -> FixedClock:
    fixed = FixedClock(datetime.combine(next_monday(), time(8), tzinfo=ZONE))
    app.state.clinic.clock = fixed
    return fixed


async def test_an_appointment_that_starts_moves_from_upcoming_to_today_on_the_open_page(browser, clock):
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_monday(maria, '09:00')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'schedule-appointment')
    assert count(alice, 'schedule-appointment') == 1
    assert count(alice, 'recent-appointment') == 0

    clock.set(datetime.combine(next_monday(), time(9), tzinfo=ZONE))
    await app.state.scheduler.time_passing.on_appointment_start()  # the job, fired at 09:00

    await alice.should_see(marker='recent-appointment', retries=WAIT)
    await alice.should_see('In progress')
    assert count(alice, 'schedule-appointment') == 0  # never in both lists
    await alice.should_see(marker='appointment-no-show')


async def test_marking_a_no_show_asks_first(browser, clock):
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_monday(maria, '09:00')
    clock.set(datetime.combine(next_monday(), time(9, 20), tzinfo=ZONE))
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    await alice.should_see(marker='recent-appointment', retries=WAIT)

    alice.find(marker='appointment-no-show').click()
    await alice.should_see(marker='confirm-dialog', retries=WAIT)
    await alice.should_see('Maria Lopez did not come')
    alice.find(marker='confirm-back').click()
    await alice.should_not_see(marker='confirm-dialog', retries=WAIT)
    await alice.should_see('In progress')

    alice.find(marker='appointment-no-show').click()
    await alice.should_see(marker='confirm-dialog', retries=WAIT)
    alice.find(marker='confirm-accept').click()
    await alice.should_see('No-show', retries=WAIT)
    await alice.should_not_see(marker='appointment-no-show', retries=WAIT)
