"""Scenario 1 and 6: a patient's open booking page follows the doctor live; other pages stay quiet."""

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.conftest import UPDATED, Stopwatch, fill_period, next_working_day, show_day, slot_texts

MORNING = ['09:00', '09:30', '10:00', '10:30', '11:00']
REST = ['11:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30']


def test_blocked_slots_vanish_and_come_back_without_reload(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    expect(maria.get_by_test_id('slot')).to_have_text(MORNING + REST)
    maria.evaluate('window.__same_page = true')  # gone after any reload

    alice = person('alice.smith@clinic.example')
    fill_period(alice, day, '09:00', '11:30')
    watch = Stopwatch('1 block 09:00-11:30 -> patient grid drops 5 slots')
    alice.get_by_test_id('unavailability-submit').click()
    expect(maria.get_by_test_id('slot')).to_have_text(REST)
    watch.stop()
    expect(maria.get_by_text(UPDATED)).to_be_visible()

    alice.get_by_test_id('unavailability-row').get_by_test_id('unavailability-remove').click()
    alice.get_by_test_id('confirm-accept').click(trial=True)  # removing asks first; wait until its dialog is still
    watch = Stopwatch('1 remove the period -> patient grid gets them back')
    alice.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('slot')).to_have_text(MORNING + REST)
    watch.stop()
    expect(maria.get_by_text(UPDATED)).to_have_count(2)
    assert maria.evaluate('window.__same_page === true'), 'the patient page was reloaded'


def test_pages_showing_another_doctor_or_day_stay_quiet(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    james = person('james.lee@mail.example')
    show_day(james, day, 'Dr. Bob Jones')
    other_day = person('james.lee@mail.example')
    show_day(other_day, day + timedelta(days=7), 'Dr. Alice Smith')
    before = {'james': slot_texts(james), 'other day': slot_texts(other_day)}

    alice = person('alice.smith@clinic.example')
    fill_period(alice, day, '09:00', '11:30')
    alice.get_by_test_id('unavailability-submit').click()
    expect(maria.get_by_test_id('slot')).to_have_text(REST)  # the change has been pushed by now
    expect(maria.get_by_text(UPDATED)).to_be_visible()

    assert {'james': slot_texts(james), 'other day': slot_texts(other_day)} == before
    expect(james.get_by_text(UPDATED)).to_have_count(0)
    expect(other_day.get_by_text(UPDATED)).to_have_count(0)
