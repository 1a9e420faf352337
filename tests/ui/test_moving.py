"""A patient moves an appointment to another time; the freed time reappears for others at once."""

from tests.ui.conftest import WAIT, next_monday, open_day, open_page, pick, shows_times, sign_in, slot_labels
from tests.waiting import until


async def test_a_patient_changes_the_time_and_others_see_both_slots_change(browser):
    monday = next_monday()
    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-reason').type('Check-up')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday)
    assert '10:00' not in slot_labels(james)

    await open_page(maria, '/appointments', 'appointments-shown')
    maria.find(marker='appointment-move').click()
    await maria.should_see(marker='moving-banner', retries=WAIT)
    await maria.should_see('Move appointment')
    await shows_times(maria)
    pick(maria, '14:00')
    maria.find(marker='book-submit').click()

    await maria.should_see(marker='appointments-shown', retries=WAIT)
    await maria.should_see('14:00 – 14:30', retries=WAIT)
    await maria.should_see('Check-up')
    await until(lambda: '10:00' in slot_labels(james) and '14:00' not in slot_labels(james))
