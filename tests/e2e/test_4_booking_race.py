"""Scenario 4: another patient's booking leaves the grid live; a race for one time ends with one appointment."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import UPDATED, Stopwatch, next_working_day, show_day

OUTCOME = re.compile(
    r'Booked: Dr. Alice Smith|'
    r'14:00 (was just taken; the list has been refreshed|is no longer available)'
)


def test_a_booked_time_leaves_the_other_patients_grid_and_their_pick(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    james = person('james.lee@mail.example')
    show_day(james, day, 'Dr. Alice Smith')
    james.get_by_test_id('slot').filter(has_text='13:00').click()
    expect(james.get_by_text('Selected: 13:00')).to_be_visible()

    maria.get_by_test_id('slot').filter(has_text='13:00').click()
    maria.get_by_test_id('book-reason').fill('Knee pain')
    watch = Stopwatch('4 patient A books 13:00 -> patient B grid drops it')
    maria.get_by_test_id('book-submit').click()
    expect(james.get_by_test_id('slot').filter(has_text='13:00')).to_have_count(0)
    watch.stop()
    expect(maria.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()
    expect(james.get_by_text('13:00 is no longer available. Please choose another time.').first).to_be_visible()
    expect(james.get_by_text('Choose a time above.')).to_be_visible()
    expect(james.get_by_test_id('book-submit')).to_be_disabled()
    expect(james.get_by_text(UPDATED)).to_be_visible()


def test_two_patients_racing_for_one_time_end_with_one_appointment(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    james = person('james.lee@mail.example')
    show_day(james, day, 'Dr. Alice Smith')
    for page in (maria, james):
        page.get_by_test_id('slot').filter(has_text='14:00').click()
        expect(page.get_by_text('Selected: 14:00')).to_be_visible()

    maria.get_by_test_id('book-submit').dispatch_event('click')  # two clicks as close together as a script can
    james.get_by_test_id('book-submit').dispatch_event('click')

    outcomes = []
    for page in (maria, james):
        notice = page.get_by_text(OUTCOME).first
        expect(notice).to_be_visible()
        outcomes.append(notice.inner_text())
    assert sum(text.startswith('Booked') for text in outcomes) == 1, outcomes
    appointments = 0
    for page in (maria, james):
        page.goto(f'{app.url}/appointments')
        listed = page.get_by_test_id('appointment-row').or_(page.get_by_text('No upcoming appointments.'))
        expect(listed.first).to_be_visible()
        appointments += page.get_by_test_id('appointment-row').count()
    assert appointments == 1
