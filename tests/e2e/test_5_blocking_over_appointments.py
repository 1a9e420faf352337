"""Scenario 5: the doctor blocks time over a booking, sees it listed, cancels it; the patient is told live."""

from playwright.sync_api import expect

from tests.e2e.conftest import Stopwatch, fill_period, next_working_day, show_day


def test_cancelling_appointments_in_the_way_tells_the_patient_live(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    maria.get_by_test_id('book-reason').fill('Check-up')
    maria.get_by_test_id('book-submit').click()
    expect(maria.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()
    maria.goto(f'{app.url}/appointments')
    row = maria.get_by_test_id('appointment-row')
    expect(row).to_contain_text('Booked')

    alice = person('alice.smith@clinic.example')
    fill_period(alice, day, '09:00', '11:30', 'Sick')
    alice.get_by_test_id('unavailability-submit').click()
    dialog = alice.get_by_test_id('conflict-dialog')
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text('10:00 – 10:30 · Maria Lopez · Check-up')
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(0)  # nothing saved before the choice

    watch = Stopwatch('5 doctor cancels the booking in the way -> patient list')
    alice.get_by_test_id('conflict-cancel').click()
    expect(row).to_contain_text('Cancelled')
    watch.stop()
    expect(row.get_by_test_id('appointment-cancel')).to_have_count(0)
    expect(maria.get_by_text('Your appointment with Dr. Alice Smith on')).to_be_visible()
    expect(row).to_contain_text('The doctor is unavailable at that time.')
    expect(row).not_to_contain_text('Sick')  # the doctor's reason is private
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(1)


def test_escape_goes_back_from_the_question_and_saves_nothing(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    maria.get_by_test_id('book-submit').click()
    expect(maria.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()

    alice = person('alice.smith@clinic.example')
    fill_period(alice, day, '09:00', '11:30', 'Conference')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('conflict-keep')).to_be_visible()
    alice.keyboard.press('Escape')
    expect(alice.get_by_test_id('conflict-keep')).to_have_count(0)
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(0)  # going back saved nothing
    alice.get_by_test_id('unavailability-submit').click()  # and the form still works: it asks again
    expect(alice.get_by_test_id('conflict-keep')).to_be_visible()
