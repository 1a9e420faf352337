"""Clinic closures on the pages: the desk closes the clinic over a booking; open booking pages follow live."""

from datetime import timedelta

from nicegui.testing.user_interaction import UserInteraction

from tests.ui.conftest import (
    WAIT,
    count,
    element,
    field_error,
    next_monday,
    open_day,
    open_page,
    pick,
    sign_in,
    slot_labels,
)
from tests.waiting import until

CLOSED = "Clinic closed: New Year's Day"


def enter_closure(admin, day, name="New Year's Day", start='00:00', end='23:59') -> None:
    admin.find(marker='closure-name').clear().type(name)
    admin.find(marker='closure-start').clear().type(f'{day} {start}')
    admin.find(marker='closure-end').clear().type(f'{day} {end}')
    admin.find(marker='closure-submit').click()


async def test_a_closure_over_a_booking_asks_first_cancels_it_and_open_pages_follow(browser, popups):
    monday = next_monday()
    maria, james, admin, alice = browser(), browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday, doctor='Dr. Bob Jones')
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'closure-submit')
    await admin.should_see('No closures planned.')

    enter_closure(admin, monday)
    await admin.should_see(marker='conflict-dialog', retries=WAIT)
    await admin.should_see('Maria Lopez')
    admin.find(marker='conflict-cancel').click()
    await admin.should_see(marker='closure-row', retries=WAIT)
    await admin.should_see('Whole clinic')

    await until(lambda: not slot_labels(james), timeout=WAIT / 10)  # another doctor's page: the whole clinic closed
    await james.should_see(CLOSED, retries=WAIT)
    await maria.should_see(CLOSED, retries=WAIT)

    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    await alice.should_see(CLOSED, retries=WAIT)
    assert count(alice, 'unavailability-edit') == 0 and count(alice, 'unavailability-remove') == 0

    with admin:
        [remove] = admin.find(marker='closure-remove').elements
    UserInteraction(admin, {remove}, None).click()
    await admin.should_see(marker='confirm-accept', retries=WAIT)
    admin.find(marker='confirm-accept').click()
    await until(lambda: '10:00' in slot_labels(james), timeout=WAIT / 10)
    await admin.should_see('No closures planned.', retries=WAIT)
    await alice.should_not_see(CLOSED, retries=WAIT)


async def test_a_closure_for_chosen_doctors_and_bad_input(browser):
    monday = next_monday()
    admin, james = browser(), browser()
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday, doctor='Dr. Bob Jones')
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'closure-submit')

    enter_closure(admin, monday, name='', start='09:00', end='12:00')
    assert await field_error(admin, 'closure-name') == 'Name is required.'
    enter_closure(admin, monday, name='Training', start='12:00', end='09:00')
    assert await field_error(admin, 'closure-end') == 'The end must be after the start.'
    assert count(admin, 'closure-row') == 0

    select = element(admin, 'closure-doctors')
    alice_id = next(key for key, name in select.options.items() if name == 'Dr. Alice Smith')
    select.value = [alice_id]
    enter_closure(admin, monday, name='Training', start='09:00', end='12:00')
    await admin.should_see('Dr. Alice Smith', retries=WAIT)
    assert '09:00' in slot_labels(james)  # Dr. Jones is open


async def test_the_date_picker_leaves_out_a_closed_day_and_names_it(browser):
    monday = next_monday()
    admin, maria = browser(), browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'closure-submit')
    enter_closure(admin, monday)
    await admin.should_see(marker='closure-row', retries=WAIT)

    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday + timedelta(days=1))
    maria.find(marker='book-calendar-open').click()
    await maria.should_see(marker='book-calendar', retries=WAIT)
    options = element(maria, 'book-calendar').props['options']
    assert f'{monday:%Y/%m/%d}' not in options and f'{monday + timedelta(days=1):%Y/%m/%d}' in options
    await maria.should_see(f"Clinic closed on {monday:%A} {monday.day} {monday:%B %Y}: New Year's Day.")
