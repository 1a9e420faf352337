"""Doctors' schedule pages follow their other tabs and the admin; cancelled patients are told live."""

from tests.ui.conftest import WAIT, count, next_monday, open_day, open_page, pick, seen_popups, sign_in, slot_labels
from tests.waiting import until

UPDATED = 'Schedule updated: available time slots have been refreshed.'


def span(day, start: str, end: str) -> str:
    """A period's times as the pages write them."""
    return f'{day:%a} {day.day} {day:%b %Y}, {start} – {end}'


def fill_period(user, day, start: str, end: str, reason: str = 'Conference') -> None:
    user.find(marker='unavailability-start').clear().type(f'{day} {start}')
    user.find(marker='unavailability-end').clear().type(f'{day} {end}')
    user.find(marker='unavailability-reason').clear().type(reason)
    user.find(marker='unavailability-submit').click()


async def test_the_doctors_second_tab_follows_add_edit_and_remove(browser, popups):
    monday = next_monday()
    tab1, tab2 = browser(), browser()
    for tab in (tab1, tab2):
        await sign_in(tab, 'alice.smith@clinic.example')
        await open_page(tab, '/schedule', 'unavailability-submit')
        await tab.should_see('No unavailability planned.')

    fill_period(tab1, monday, '09:00', '11:30')
    await tab2.should_see(marker='unavailability-row', retries=WAIT)
    await tab2.should_see('09:00 – 11:30')
    assert f'Schedule changed by Dr. Alice Smith: marked {span(monday, "09:00", "11:30")} unavailable.' in seen_popups(
        tab2, popups
    )

    tab2.find(marker='unavailability-edit').click()
    await tab2.should_see('Save changes')
    tab2.find(marker='unavailability-end').clear().type(f'{monday} 12:00')
    tab2.find(marker='unavailability-submit').click()
    await tab1.should_see('09:00 – 12:00', retries=WAIT)
    changed = f'{span(monday, "09:00", "11:30")} to {span(monday, "09:00", "12:00")}'
    assert f'Schedule changed by Dr. Alice Smith: changed the unavailable period {changed}.' in seen_popups(
        tab1, popups
    )

    tab1.find(marker='unavailability-remove').click()
    await tab1.should_see(marker='confirm-accept', retries=WAIT)
    tab1.find(marker='confirm-accept').click()
    await tab2.should_not_see(marker='unavailability-row', retries=WAIT)
    await tab2.should_see('No unavailability planned.')


async def test_an_admin_change_reaches_the_doctor_and_the_patient(browser, popups):
    monday = next_monday()
    admin, alice, maria = browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'appointments-shown')
    admin.find('Dr. Alice Smith')  # the doctors list names her
    await open_page(admin, '/admin/doctors/1/schedule', 'unavailability-submit')
    await admin.should_see('Schedule of Dr. Alice Smith')

    fill_period(admin, monday, '15:00', '17:00', 'Training')

    await alice.should_see(marker='unavailability-row', retries=WAIT)
    told = f'Schedule changed by Clinic Admin: marked {span(monday, "15:00", "17:00")} unavailable.'
    assert told in seen_popups(alice, popups)
    await until(lambda: '16:30' not in slot_labels(maria), timeout=WAIT / 10)  # the doctor's popup names the times
    assert slot_labels(maria)[-1] == '14:30'
    assert UPDATED in seen_popups(maria, popups)


async def test_blocking_over_a_booking_asks_and_cancelling_tells_the_patient_live(browser, popups):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-reason').type('Check-up')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await open_page(maria, '/appointments', 'appointments-shown')
    await maria.should_see('Booked')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    await alice.should_see('Maria Lopez · Check-up')

    fill_period(alice, monday, '09:00', '11:30', 'Sick')
    await alice.should_see(marker='conflict-dialog', retries=WAIT)
    await alice.should_see('1 booked appointment in this period')
    assert count(alice, 'conflict-appointment') == 1
    assert count(alice, 'unavailability-row') == 0  # nothing saved before the doctor decides
    alice.find(marker='conflict-cancel').click()

    await maria.should_see('Cancelled', retries=WAIT)
    await maria.should_see('The doctor is unavailable at that time.')
    await maria.should_not_see('sick')  # the doctor's reason is hers: the patient is not told why
    assert any(
        p.startswith('Your appointment with Dr. Alice Smith on') and 'was cancelled by Dr. Alice Smith' in p
        for p in seen_popups(maria, popups)
    )
    await alice.should_see(marker='unavailability-row', retries=WAIT)
    await alice.should_see('No upcoming appointments.')


async def test_keeping_appointments_leaves_them_booked(browser, popups):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await open_page(maria, '/appointments', 'appointments-shown')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')

    fill_period(alice, monday, '09:00', '11:30')
    await alice.should_see(marker='conflict-dialog', retries=WAIT)
    alice.find(marker='conflict-keep').click()

    await alice.should_see(marker='unavailability-row', retries=WAIT)
    await alice.should_see('Maria Lopez')
    await maria.should_see('Booked')
    assert not any('cancelled' in p for p in seen_popups(maria, popups))


async def test_a_patient_cancelling_gives_the_time_back_to_others(browser, popups):
    monday = next_monday()
    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '11:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday)
    assert '11:00' not in slot_labels(james)

    await open_page(maria, '/appointments', 'appointments-shown')
    maria.find(marker='appointment-cancel').click()
    await maria.should_see(marker='confirm-accept', retries=WAIT)
    maria.find(marker='confirm-accept').click()
    await maria.should_see('Cancelled', retries=WAIT)

    await james.should_see('11:00', retries=WAIT)
    assert '11:00' in slot_labels(james)
    assert UPDATED in seen_popups(james, popups)
