"""The booking page never books what the patient did not mean: a move stays a move, a second appointment with the
same doctor that day is asked about, a day that cannot be booked offers nothing, and the doctor list is live."""

from datetime import timedelta

import pytest
from nicegui import app
from sqlmodel import select

from models import User
from services.booking import book, cancel
from tests.ui.conftest import (
    WAIT,
    count,
    element,
    field_error,
    next_monday,
    open_day,
    open_page,
    pick,
    shows_times,
    sign_in,
    slot_labels,
)
from tests.waiting import until


def _patient_id(email: str) -> int:
    with app.state.clinic.db.reading() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


def _booked_monday_10(email: str = 'maria.lopez@mail.example'):
    """An appointment booked through the service, as another tab would have done."""
    clinic = app.state.clinic
    monday = next_monday()
    starts_at = next(s for s in _slots(clinic, monday) if s.label == '10:00').starts_at
    return book(clinic, actor_id=_patient_id(email), doctor_id=1, starts_at=starts_at)


def _slots(clinic, day):
    from services.read_models.free_time import day_slots

    return day_slots(clinic, doctor_id=1, day=day).slots


async def test_a_second_booking_with_the_doctor_that_day_is_asked_about_naming_the_first(browser):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)

    pick(maria, '14:00')
    maria.find(marker='book-submit').click()
    await maria.should_see(marker='confirm-dialog', retries=WAIT)
    await maria.should_see('You already have an appointment with Dr. Alice Smith on', retries=WAIT)
    await maria.should_see('at 10:00')
    maria.find(marker='confirm-back').click()
    await maria.should_not_see(marker='confirm-dialog', retries=WAIT)
    assert '14:00' in slot_labels(maria)  # going back booked nothing

    pick(maria, '14:00')
    maria.find(marker='book-submit').click()
    await maria.should_see(marker='confirm-accept', retries=WAIT)
    maria.find(marker='confirm-accept').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await until(lambda: '14:00' not in slot_labels(maria))
    await open_page(maria, '/appointments', 'appointments-shown')
    assert count(maria, 'appointment-row') == 2


async def test_an_impossible_date_offers_nothing_to_book_until_a_real_day_is_typed(browser):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    assert element(maria, 'book-submit').enabled

    maria.find(marker='book-date').clear().type('2026-02-30')
    assert '2026-02-30 is not a day in the calendar' in (await field_error(maria, 'book-date') or '')
    await until(lambda: count(maria, 'slot') == 0)
    assert not element(maria, 'book-submit').enabled

    maria.find(marker='book-date').clear().type(monday.isoformat())
    await shows_times(maria)
    assert element(maria, 'book-date').error is None
    assert not element(maria, 'book-submit').enabled  # nothing picked on the day shown again


async def test_a_past_or_too_far_day_in_the_address_says_why_and_offers_nothing(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/book?doctor=1&day=2020-01-01', 'book-doctor')
    assert (await field_error(maria, 'book-date')) == 'This day has passed. Choose today or a later day.'
    await maria.should_see('Nothing to book on Wednesday 1 January 2020')
    assert count(maria, 'slot') == 0 and not element(maria, 'book-submit').enabled

    far = next_monday() + timedelta(days=70)
    await open_page(maria, f'/book?doctor=1&day={far}', 'book-doctor')
    assert (await field_error(maria, 'book-date') or '').startswith('Bookings open 60 days ahead. Choose a day up to ')
    assert count(maria, 'slot') == 0 and not element(maria, 'book-submit').enabled


async def test_an_unknown_doctor_in_the_address_says_so_until_one_is_chosen(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/book?doctor=999', 'book-doctor')
    doctor = element(maria, 'book-doctor')
    assert doctor.props.get('error-message') == 'That doctor is not taking bookings here. Choose a doctor.'
    maria.find(marker='book-doctor').click()
    maria.find('Dr. Bob Jones · Pediatrics').click()
    await until(lambda: 'error-message' not in element(maria, 'book-doctor').props)


async def test_a_move_of_an_appointment_no_longer_movable_says_so_and_books_nothing(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    appointment = _booked_monday_10()
    cancel(app.state.clinic, actor_id=_patient_id('maria.lopez@mail.example'), appointment_id=appointment.id)

    await open_page(maria, f'/book?doctor=1&day={next_monday()}&move={appointment.id}', 'move-gone')
    await maria.should_see('This appointment can no longer be moved')
    assert count(maria, 'book-submit') == 0 and count(maria, 'slot') == 0


async def test_a_move_opened_from_its_address_keeps_the_banner_and_moves(browser):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    appointment = _booked_monday_10()

    await open_page(maria, f'/book?doctor=1&day={monday}&move={appointment.id}', 'moving-banner')
    tuesday = monday + timedelta(days=1)
    maria.find(marker='book-date').clear().type(tuesday.isoformat())
    await maria.should_see(f'Free times with Dr. Alice Smith on {tuesday:%A}', retries=WAIT)
    pick(maria, '14:00')
    await maria.should_see('Move appointment')
    maria.find(marker='book-submit').click()  # a move, so no question about a second booking
    await maria.should_see(marker='appointments-shown', retries=WAIT)
    assert count(maria, 'appointment-row') == 1
    await maria.should_see('14:00 – 14:30')


async def test_a_doctor_the_admin_creates_appears_in_open_booking_pages_keeping_the_pick(browser):
    maria, admin = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday(), doctor='Dr. Bob Jones')
    select_ = element(maria, 'book-doctor')
    picked = select_.value
    assert not any('Dana Wu' in label for label in select_.options.values())

    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'doctor-submit')
    admin.find(marker='doctor-name').type('Dr. Dana Wu')
    admin.find(marker='doctor-email').type('dana.wu@clinic.example')
    admin.find(marker='doctor-specialty').type('Cardiology')
    admin.find(marker='doctor-password').type('a-long-password-1')
    admin.find(marker='doctor-submit').click()

    await until(lambda: any('Dr. Dana Wu' in label for label in element(maria, 'book-doctor').options.values()))
    assert element(maria, 'book-doctor').value == picked
    await maria.should_see('Free times with Dr. Bob Jones')


@pytest.fixture
def one_a_day(monkeypatch):
    """A clinic that allows one appointment with one doctor on one day (set before the app starts)."""
    monkeypatch.setenv('CLINIC_MAX_BOOKINGS_PER_DOCTOR_DAY', '1')


async def test_a_clinic_allowing_one_a_day_refuses_the_second_on_the_page_without_asking(one_a_day, browser, popups):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)

    pick(maria, '14:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('and the clinic allows one appointment with one doctor on one day', retries=WAIT)
    assert element(maria, 'booking-notice').text.startswith(
        f'You already have an appointment with Dr. Alice Smith on {monday:%A} {monday.day} {monday:%B %Y} at 10:00'
    )
    assert count(maria, 'confirm-dialog') == 0 and '14:00' in slot_labels(maria)
    said = [p for p in popups.by_client[maria.client.id] if 'the clinic allows one appointment' in p]
    assert said == []  # said once, under the times: not again in a popup


async def test_a_picked_doctor_who_leaves_the_list_stays_picked(browser):
    from services.live.events import DoctorsChanged

    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday(), doctor='Dr. Bob Jones')
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, next_monday())
    clinic = app.state.clinic
    with clinic.db.writing() as session:  # the account is closed (there is no use case for it yet)
        session.exec(select(User).where(User.email == 'bob.jones@clinic.example')).one().is_active = False
    clinic.hub.publish(DoctorsChanged(doctor_id=2))

    await until(lambda: not any('Bob Jones' in label for label in element(james, 'book-doctor').options.values()))
    assert element(maria, 'book-doctor').options[element(maria, 'book-doctor').value].startswith('Dr. Bob Jones')
    await maria.should_see('Free times with Dr. Bob Jones')
