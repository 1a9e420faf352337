"""The front desk (/desk): finds patients as it types, books for them on /book, registers callers and walk-ins."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from nicegui import app

from services.clock import FixedClock
from tests.ui.conftest import (
    TIMEZONE,
    WAIT,
    count,
    element,
    field_error,
    next_monday,
    open_page,
    pick,
    shows_times,
    sign_in,
    slot_labels,
)
from tests.waiting import until

ADMIN = 'admin@clinic.example'


async def find(user, text: str, expected: int | None = None) -> None:
    await open_page(user, '/desk', 'desk-search')
    user.find(marker='desk-search').clear().type(text)
    if expected is not None:
        await until(lambda: count(user, 'desk-patient-row') == expected)


async def choose_day(user, doctor: str, day) -> None:
    select = user.find(marker='book-doctor')
    option = next(label for label in select.elements.pop().options.values() if label.startswith(doctor))
    user.find(marker='book-doctor').click()
    user.find(option).click()
    user.find(marker='book-date').clear().type(day.isoformat())
    await user.should_see(f'{doctor} on {day:%A} {day.day} {day:%B %Y}', retries=WAIT)
    await shows_times(user)


async def test_the_desk_finds_james_and_books_for_him_while_his_list_shows_it(browser):
    desk, james = browser(), browser()
    await sign_in(james, 'james.lee@mail.example')
    await open_page(james, '/appointments', 'appointments-shown')
    await sign_in(desk, ADMIN)
    await find(desk, 'jam', expected=1)
    await desk.should_see('james.lee@mail.example')
    await desk.should_see('No upcoming appointment.')
    desk.find(marker='desk-book').click()
    await desk.should_see('Booking for James Lee', retries=WAIT)
    monday = next_monday()
    await choose_day(desk, 'Dr. Bob Jones', monday)
    pick(desk, '10:00')
    desk.find(marker='book-submit').click()
    await desk.should_see('Booked for James Lee: Dr. Bob Jones', retries=WAIT)
    assert '10:00' not in slot_labels(desk)

    await james.should_see('10:00 – 10:30', retries=WAIT)  # live, without a reload
    await james.should_see('Dr. Bob Jones')
    await find(desk, 'James', expected=1)
    await desk.should_see('Next: ', retries=WAIT)


async def test_the_desk_moves_and_cancels_a_patients_appointment(browser):
    desk = browser()
    await sign_in(desk, ADMIN)
    await find(desk, 'maria', expected=1)
    desk.find(marker='desk-book').click()
    await desk.should_see(marker='booking-for', retries=WAIT)
    await choose_day(desk, 'Dr. Alice Smith', next_monday())
    pick(desk, '11:00')
    desk.find(marker='book-submit').click()
    await desk.should_see('Booked for Maria Lopez', retries=WAIT)

    await find(desk, 'maria', expected=1)
    desk.find('Upcoming appointments (1)').click()
    desk.find(marker='desk-move').click()
    await desk.should_see("Changing the time of Maria Lopez's appointment", retries=WAIT)
    await shows_times(desk)
    pick(desk, '14:00')
    desk.find(marker='book-submit').click()
    await desk.should_see(marker='desk-search', retries=WAIT)  # back on the desk
    await find(desk, 'maria', expected=1)
    await desk.should_see('14:00', retries=WAIT)
    desk.find('Upcoming appointments (1)').click()
    desk.find(marker='desk-cancel').click()
    await desk.should_see(marker='confirm-accept', retries=WAIT)
    desk.find(marker='confirm-accept').click()
    await desk.should_see('No upcoming appointment.', retries=WAIT)


async def test_a_patient_passing_for_books_only_for_themself_and_the_desk_needs_a_patient(browser):
    maria, desk = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/book?for=5', 'book-doctor')
    assert count(maria, 'booking-for') == 0
    await sign_in(desk, ADMIN)
    response = await desk.http_client.get('/book')  # the desk books only for a patient
    assert response.status_code == 403 and 'Not allowed' in response.text and 'book-submit' not in response.text
    await open_page(desk, '/book?for=999', 'booking-for-missing')
    await desk.should_see('There is no active patient like this.')
    assert count(desk, 'book-submit') == 0


@pytest.mark.parametrize('email', ['bob.jones@clinic.example', 'maria.lopez@mail.example'])
async def test_only_the_front_desk_may_open_the_desk(browser, email):
    person = browser()
    await sign_in(person, email)
    response = await person.http_client.get('/desk')
    assert response.status_code == 403 and 'Not allowed' in response.text and 'desk-search' not in response.text


async def test_a_new_patient_form_names_every_problem_and_warns_of_duplicates(browser):
    desk = browser()
    await sign_in(desk, ADMIN)
    await open_page(desk, '/desk', 'desk-search')
    desk.find(marker='desk-new-patient').click()
    desk.find(marker='desk-new-email').type('not an email')
    desk.find(marker='desk-new-submit').click()
    assert await field_error(desk, 'desk-new-name') == 'Name is required.'
    assert await field_error(desk, 'desk-new-phone') == 'Phone is required.'
    assert (await field_error(desk, 'desk-new-email')).startswith('Enter a valid email address')

    desk.find(marker='desk-new-email').clear()
    desk.find(marker='desk-new-name').type('Ann Walk')
    desk.find(marker='desk-new-phone').type('030 123-4567')
    desk.find(marker='desk-new-submit').click()
    await until(lambda: count(desk, 'desk-patient-row') == 1)
    await desk.should_see('0301234567')
    await desk.should_see('No password yet')

    desk.find(marker='desk-new-patient').click()
    desk.find(marker='desk-new-name').clear().type('ann walk')
    desk.find(marker='desk-new-phone').type('0301234567')
    desk.find(marker='desk-new-submit').click()
    await desk.should_see(marker='desk-duplicates', retries=WAIT)
    await desk.should_see('1 patient with this name and phone already exists.')
    desk.find(marker='desk-new-anyway').click()
    await until(lambda: count(desk, 'desk-patient-row') == 2)

    desk.find(marker='desk-new-patient').click()
    desk.find(marker='desk-new-name').clear().type('Jim')
    desk.find(marker='desk-new-phone').type('0301234999')
    desk.find(marker='desk-new-email').type('JAMES.LEE@mail.example')
    desk.find(marker='desk-new-submit').click()
    await desk.should_see('James Lee · james.lee@mail.example', retries=WAIT)
    assert count(desk, 'desk-new-anyway') == 0  # an email belongs to one patient
    desk.find(marker='desk-duplicate-pick').click()
    await until(lambda: count(desk, 'desk-patient-row') == 1)
    await desk.should_see('james.lee@mail.example')
    assert element(desk, 'desk-search').value == 'James Lee'


@pytest.fixture
def at_monday_ten_past_ten():
    """The running app's clock, stopped at 10:10 on a Monday (every demo doctor works)."""
    fixed = FixedClock(datetime.combine(next_monday(), time(10, 10), tzinfo=ZoneInfo(TIMEZONE)))
    app.state.clinic.clock = fixed
    return fixed


async def test_a_walk_in_is_booked_into_the_next_free_time_today(browser, popups, at_monday_ten_past_ten):
    desk = browser()
    await sign_in(desk, ADMIN)
    await find(desk, 'Maria', expected=1)
    desk.find(marker='desk-walk-in').click()
    await desk.should_see(marker='desk-walk-in-doctor', retries=WAIT)
    desk.find(marker='desk-walk-in-doctor').click()
    desk.find('Dr. Bob Jones · Pediatrics').click()
    desk.find(marker='desk-walk-in-submit').click()
    await desk.should_see('Walk-in booked: Maria Lopez with Dr. Bob Jones', retries=WAIT)
    await desk.should_see('Next: ', retries=WAIT)
    await desk.should_see('10:30')

    at_monday_ten_past_ten.set(datetime.combine(next_monday(), time(16, 50), tzinfo=ZoneInfo(TIMEZONE)))
    desk.find(marker='desk-walk-in').click()
    await desk.should_see(marker='desk-walk-in-submit', retries=WAIT)
    desk.find(marker='desk-walk-in-submit').click()
    await desk.should_see(marker='desk-walk-in-message', retries=WAIT)
    await desk.should_see('has no free time left today.')


async def test_the_desks_rows_follow_a_booking_made_elsewhere_without_searching_again(browser):
    desk, maria = browser(), browser()
    await sign_in(desk, ADMIN)
    await find(desk, 'Maria', expected=1)
    await desk.should_see('No upcoming appointment.', retries=WAIT)
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/book', 'book-doctor')
    await choose_day(maria, 'Dr. Alice Smith', next_monday())
    pick(maria, '09:30')
    maria.find(marker='book-submit').click()
    await until(lambda: element(desk, 'desk-next').text.endswith(', 09:30 with Dr. Alice Smith'))


async def test_a_walk_in_asked_before_the_doctors_have_loaded_still_offers_them(browser, monkeypatch):
    import time as clock

    import services.live.boards as boards_module

    loaded = boards_module.bookable_doctors

    def slow(clinic):  # the doctors list arrives after the patient found by typing
        clock.sleep(1.0)
        return loaded(clinic)

    monkeypatch.setattr(boards_module, 'bookable_doctors', slow)
    desk = browser()
    await sign_in(desk, ADMIN)
    await find(desk, 'Maria', expected=1)  # typed at once: the patient may be shown before the doctors are known
    desk.find(marker='desk-walk-in').click()
    await desk.should_see(marker='desk-walk-in-doctor', retries=WAIT)
    assert 'Dr. Bob Jones · Pediatrics' in element(desk, 'desk-walk-in-doctor').options.values()
