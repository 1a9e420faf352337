"""Scenario 17: the live waitlist in Chromium against the real app. Dr. Smith blocks the morning; Maria joins the
waitlist for it (09:00-12:00) and goes to another page; Dr. Smith removes the block; within two seconds Maria is
offered 09:00 and James, watching that day, sees 09:00 held; Maria accepts; her list has it, and James's grid never
offered 09:00 at any moment."""

import time

from playwright.sync_api import expect

from tests.e2e.conftest import Stopwatch, fill_period, next_working_day, show_day

NEVER_0900 = """() => {
    window.__offered0900 = false;
    const look = () => {
        for (const slot of document.querySelectorAll('[data-testid="slot"]')) {
            if (slot.textContent.includes('09:00')) window.__offered0900 = true;
        }
    };
    look();
    new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_freed_time_goes_to_the_patient_waiting_and_is_never_offered_to_another(person, app):
    day = next_working_day()
    alice = person('alice.smith@clinic.example')
    fill_period(alice, day, '09:00', '12:00')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(1)

    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')  # the afternoon is free, the morning is not
    maria.get_by_test_id('waitlist-join').click()
    maria.get_by_test_id('waitlist-from').fill('09:00')
    maria.get_by_test_id('waitlist-until').fill('12:00')
    maria.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_text('On the waitlist')).to_be_visible()
    maria.goto(f'{app.url}/appointments')  # she goes elsewhere
    expect(maria.get_by_test_id('waitlist-row')).to_have_count(1)

    james = person('james.lee@mail.example')
    show_day(james, day, 'Dr. Alice Smith')
    james.evaluate(NEVER_0900)

    alice.get_by_test_id('unavailability-row').get_by_test_id('unavailability-remove').click()
    alice.get_by_test_id('confirm-accept').click(trial=True)  # removing asks first; wait until its dialog is still
    started = time.monotonic()
    offered = Stopwatch('17 block removed -> the waiting patient sees the offer (on another page)')
    held = Stopwatch('17 block removed -> a patient watching the day sees 09:00 held')
    alice.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('offer-accept')).to_be_visible(timeout=2000)
    offered.stop()
    expect(james.get_by_test_id('slot-held')).to_have_text(['09:00 held'], timeout=2000)
    held.stop()
    assert time.monotonic() - started < 2.0
    expect(maria.get_by_role('dialog')).to_contain_text('09:00')
    expect(james.get_by_test_id('slot').first).to_have_text('09:30')  # the rest of the morning is free to all

    maria.get_by_test_id('offer-accept').click()
    expect(maria.get_by_test_id('appointment-row')).to_have_count(1)
    expect(maria.get_by_test_id('appointment-row')).to_contain_text('09:00')
    expect(maria.get_by_test_id('waitlist-row')).to_have_count(0)
    expect(james.get_by_test_id('slot-held')).to_have_count(0)  # booked now: simply gone from his grid
    assert james.evaluate('window.__offered0900') is False, "09:00 was offered in James's grid at some moment"
