"""Scenario 14: kinds of visit. Dr. Smith adds a 60-minute visit; a patient books it and its whole hour vanishes live
from another patient's page showing the 30-minute consultation."""

from playwright.sync_api import expect

from tests.e2e.conftest import Stopwatch, next_working_day, show_day, slot_texts

LONG_STARTS = [
    '09:00',
    '09:30',
    '10:00',
    '10:30',
    '11:00',
    '13:00',
    '13:30',
    '14:00',
    '14:30',
    '15:00',
    '15:30',
    '16:00',
]


def test_a_long_visit_offers_the_starts_where_it_fits_and_its_booking_takes_its_hour_from_other_pages(person, app):
    day = next_working_day()
    alice = person('alice.smith@clinic.example')
    alice.goto(f'{app.url}/schedule')
    alice.get_by_test_id('type-name').fill('Long visit')
    alice.get_by_test_id('type-minutes').fill('60')
    alice.get_by_test_id('type-submit').click()
    expect(alice.get_by_test_id('type-row')).to_have_count(2)
    expect(alice.get_by_test_id('type-row').nth(1)).to_contain_text('Long visit · 60 min')

    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()  # a pick of the consultation
    expect(maria.get_by_test_id('book-submit')).to_be_enabled()
    maria.get_by_test_id('book-type').click()
    maria.get_by_role('option', name='Long visit (60 min)').click()
    expect(maria.get_by_test_id('slot')).to_have_text(LONG_STARTS)
    expect(maria.locator('[data-testid=slot][aria-pressed=true]')).to_have_count(0)  # it does not carry over
    expect(maria.get_by_test_id('book-submit')).to_be_disabled()
    assert '11:30' not in slot_texts(maria) and '16:30' not in slot_texts(maria)

    james = person('james.lee@mail.example')
    show_day(james, day, 'Dr. Alice Smith')
    expect(james.get_by_test_id('book-type')).to_contain_text('Consultation (30 min)')
    expect(james.get_by_test_id('slot').first).to_have_text('09:00')
    expect(james.get_by_test_id('slot').nth(1)).to_have_text('09:30')

    maria.get_by_test_id('slot').first.click()
    watch = Stopwatch('14 a 60-minute booking at 09:00 -> a 30-minute page drops 09:00 and 09:30')
    maria.get_by_test_id('book-submit').click()
    expect(james.get_by_test_id('slot').first).to_have_text('10:00', timeout=1000)
    watch.stop()
    expect(maria.get_by_text('Booked: Dr. Alice Smith')).to_be_visible()
    assert '10:30' in slot_texts(james) and '09:30' not in slot_texts(james)

    maria.goto(f'{app.url}/appointments')
    expect(maria.get_by_test_id('appointment-row')).to_contain_text('Long visit')
    expect(maria.get_by_test_id('appointment-row')).to_contain_text('09:00')
