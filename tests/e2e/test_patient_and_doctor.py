"""A patient's open booking page follows the doctor's blocking and unblocking, live, in real Chromium."""

import time

from playwright.sync_api import expect

from tests.e2e.conftest import next_working_day, record_latency

UPDATED = 'Schedule updated: available time slots have been refreshed.'
MORNING = ['09:00', '09:30', '10:00', '10:30', '11:00']


def test_slots_vanish_and_return_without_reload(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    maria.get_by_test_id('book-date').fill(day.isoformat())
    slots = maria.get_by_test_id('slot')
    expect(slots.filter(has_text='09:00')).to_have_count(1)
    expect(slots).to_have_count(14)

    alice = person('alice.smith@clinic.example')
    alice.get_by_test_id('unavailability-start').fill(f'{day} 09:00')
    alice.get_by_test_id('unavailability-end').fill(f'{day} 11:30')
    alice.get_by_test_id('unavailability-reason').fill('Conference')
    clicked = time.monotonic()
    alice.get_by_test_id('unavailability-submit').click()

    expect(slots).to_have_count(9)
    record_latency('block 09:00-11:30: slots vanish on the patient page', time.monotonic() - clicked)
    for label in MORNING:
        expect(slots.filter(has_text=label)).to_have_count(0)
    expect(slots.first).to_have_text('11:30')
    expect(maria.get_by_text(UPDATED)).to_be_visible()
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(1)

    clicked = time.monotonic()
    alice.get_by_test_id('unavailability-remove').click()
    expect(slots).to_have_count(14)
    record_latency('remove the period: slots come back on the patient page', time.monotonic() - clicked)
    expect(maria.get_by_text(UPDATED)).to_have_count(2)


def test_a_vanished_time_cannot_be_booked(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    maria.get_by_test_id('book-date').fill(day.isoformat())
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    expect(maria.get_by_text('Selected: 10:00')).to_be_visible()

    alice = person('alice.smith@clinic.example')
    alice.get_by_test_id('unavailability-start').fill(f'{day} 09:00')
    alice.get_by_test_id('unavailability-end').fill(f'{day} 11:30')
    alice.get_by_test_id('unavailability-submit').click()

    expect(maria.get_by_text('10:00 is no longer available. Please choose another time.').first).to_be_visible()
    expect(maria.get_by_test_id('book-submit')).to_be_disabled()
    maria.goto(maria.url.split('/book')[0] + '/appointments')
    expect(maria.get_by_text('No upcoming appointments.')).to_be_visible()
