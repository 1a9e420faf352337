"""Scenario 5: the doctor blocks time over a booking, sees it listed, cancels it; the patient is told live (a popup,
the list, the bell)."""

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
    maria.get_by_role('link', name='My appointments').click()  # the header's navigation
    expect(maria.locator('h1')).to_have_text('My appointments')
    row = maria.get_by_test_id('appointment-row')
    bell = maria.get_by_test_id('notification-bell')
    expect(bell).to_have_attribute('aria-label', 'Notifications')
    expect(maria.get_by_test_id('notification-count')).to_have_count(0)
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

    # the bell counts it, says so in words, lists it, and forgets the count once read
    expect(maria.get_by_test_id('notification-count')).to_have_text('1')
    expect(bell).to_have_attribute('aria-label', 'Notifications, 1 unread')
    bell.click()
    item = maria.get_by_test_id('notification-item')
    expect(item).to_have_count(1)
    expect(item).to_contain_text('Your appointment with Dr. Alice Smith on')
    maria.get_by_test_id('notifications-mark-read').click()
    expect(maria.get_by_test_id('notification-count')).to_have_count(0)
    expect(bell).to_have_attribute('aria-label', 'Notifications')
    expect(item).to_have_count(1)  # still listed, as read


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
