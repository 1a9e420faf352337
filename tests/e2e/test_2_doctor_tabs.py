"""Scenario 2: a doctor's two tabs on /schedule follow each other's adds, edits and removals."""

from playwright.sync_api import expect

from tests.e2e.conftest import Stopwatch, fill_period, next_working_day


def test_the_other_tab_follows_add_edit_and_remove(person, app):
    day = next_working_day()
    tab1 = person('alice.smith@clinic.example')
    tab2 = tab1.context.new_page()
    tab2.goto(f'{app.url}/schedule')
    expect(tab2.get_by_text('No unavailability planned.')).to_be_visible()

    fill_period(tab1, day, '09:00', '11:30', 'Conference')
    watch = Stopwatch('2 tab 1 adds a period -> tab 2 lists it')
    tab1.get_by_test_id('unavailability-submit').click()
    expect(tab2.get_by_test_id('unavailability-row')).to_have_count(1)
    watch.stop()
    expect(tab2.get_by_test_id('unavailability-row')).to_contain_text('09:00 – 11:30')
    expect(tab2.get_by_text('Schedule changed by Dr. Alice Smith')).to_be_visible()

    tab2.get_by_test_id('unavailability-row').get_by_test_id('unavailability-edit').click()
    expect(tab2.get_by_test_id('unavailability-end')).to_have_value(f'{day} 11:30')
    tab2.get_by_test_id('unavailability-end').fill(f'{day} 12:00')
    tab2.get_by_test_id('unavailability-reason').fill('Conference, extended')
    watch = Stopwatch('2 tab 2 edits it -> tab 1 shows the edit')
    tab2.get_by_test_id('unavailability-submit').click()
    expect(tab1.get_by_test_id('unavailability-row')).to_contain_text('09:00 – 12:00')
    watch.stop()
    expect(tab1.get_by_test_id('unavailability-row')).to_contain_text('Conference, extended')

    tab1.bring_to_front()  # the doctor looks at tab 1 again (its question dialog animates only in a shown tab)
    tab1.get_by_test_id('unavailability-row').get_by_test_id('unavailability-remove').click()
    tab1.get_by_test_id('confirm-accept').click(trial=True)  # removing asks first; wait until its dialog is still
    watch = Stopwatch('2 tab 1 removes it -> tab 2 drops it')
    tab1.get_by_test_id('confirm-accept').click()
    expect(tab2.get_by_test_id('unavailability-row')).to_have_count(0)
    watch.stop()
    expect(tab2.get_by_text('No unavailability planned.')).to_be_visible()
