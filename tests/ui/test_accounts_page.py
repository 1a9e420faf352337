"""/admin/accounts with the User fixture against the real demo app: search, deactivating a patient sends their open page
to sign-in at once and keeps them out, reactivating lets them in, a doctor edited, an admin added, a desk link."""

import asyncio

from nicegui import app

from services.schedule import list_doctors
from tests.ui.conftest import WAIT, next_monday, open_day, open_page, pick, sign_in

MARIA = 'maria.lopez@mail.example'


async def test_a_deactivated_patients_open_page_goes_to_sign_in_at_once_and_stays_out(browser):
    admin, maria = browser(), browser()
    await sign_in(maria, MARIA)
    await open_page(maria, '/appointments', 'clinic-bar')
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/accounts', 'account-row')
    admin.find(marker='account-search').type('maria')
    await admin.should_not_see('James Lee', retries=WAIT)
    admin.find(marker='account-deactivate').click()
    await admin.should_see(marker='confirm-accept', retries=WAIT)
    admin.find(marker='confirm-accept').click()
    await admin.should_see(marker='account-inactive', retries=WAIT)
    await maria.should_see(marker='login-submit', retries=WAIT)  # live, without any action of her own

    maria.find(marker='login-email').type(MARIA)
    maria.find(marker='login-password').type('demo1234')
    maria.find(marker='login-submit').click()
    await maria.should_see('Wrong email or password.', retries=WAIT)

    admin.find(marker='account-reactivate').click()
    await admin.should_not_see(marker='account-inactive', retries=WAIT)
    await sign_in(maria, MARIA)
    await maria.should_see('Book an appointment', retries=WAIT)


async def test_the_last_admin_cannot_deactivate_themself(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/accounts', 'account-row')
    admin.find(marker='account-search').type('admin@clinic')
    await admin.should_not_see('Maria Lopez', retries=WAIT)
    admin.find(marker='account-deactivate').click()
    await admin.should_see(marker='confirm-accept', retries=WAIT)
    admin.find(marker='confirm-accept').click()
    await admin.should_see('Nobody can deactivate the last active admin', retries=WAIT)
    await admin.should_not_see(marker='account-inactive')


async def test_editing_a_doctor_and_adding_an_admin(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/accounts', 'account-row')
    admin.find(marker='account-search').type('bob.jones')
    await admin.should_not_see('Maria Lopez', retries=WAIT)
    admin.find(marker='account-edit').click()
    await admin.should_see(marker='doctor-edit-specialty', retries=WAIT)
    admin.find(marker='doctor-edit-specialty').clear().type('Paediatrics')
    admin.find(marker='doctor-edit-submit').click()
    await admin.should_see('Paediatrics, 30-minute slots', retries=WAIT)
    assert [d.specialty for d in list_doctors(app.state.clinic) if d.full_name == 'Dr. Bob Jones'] == ['Paediatrics']

    admin.find(marker='admin-name').type('Rita Reception')
    admin.find(marker='admin-email').type('rita@clinic.example')
    admin.find(marker='admin-password').type('desk-morning-shift-3')
    admin.find(marker='admin-submit').click()
    await admin.should_see('Rita Reception can now sign in as an admin.', retries=WAIT)
    rita = browser()
    await sign_in(rita, 'rita@clinic.example', 'desk-morning-shift-3')
    await open_page(rita, '/admin/accounts', 'account-row')


async def test_the_desk_gives_a_patient_a_password_link(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/accounts', 'account-row')
    admin.find(marker='account-search').type('james')
    await admin.should_not_see('Maria Lopez', retries=WAIT)
    admin.find(marker='account-reset-link').click()
    await admin.should_see(marker='account-reset-link-value', retries=WAIT)
    await admin.should_see('/reset?token=')


async def test_a_deactivated_doctor_leaves_an_open_booking_page_at_once(browser):
    admin, maria = browser(), browser()
    await sign_in(maria, MARIA)
    await open_page(maria, '/book', 'book-doctor')
    assert any(label.startswith('Dr. Bob Jones') for label in doctor_options(maria))
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/accounts', 'account-row')
    admin.find(marker='account-search').type('bob.jones')
    await admin.should_not_see('Maria Lopez', retries=WAIT)
    admin.find(marker='account-deactivate').click()
    await admin.should_see(marker='confirm-accept', retries=WAIT)
    admin.find(marker='confirm-accept').click()
    for _ in range(WAIT):
        if not any(label.startswith('Dr. Bob Jones') for label in doctor_options(maria)):
            break
        await asyncio.sleep(0.1)
    assert not any(label.startswith('Dr. Bob Jones') for label in doctor_options(maria))
    assert any(label.startswith('Dr. Alice Smith') for label in doctor_options(maria))


async def test_deactivating_a_doctor_with_bookings_asks_and_cancelling_tells_the_patient_live(browser):
    admin, maria = browser(), browser()
    await sign_in(maria, MARIA)
    await open_day(maria, next_monday(), doctor='Dr. Bob Jones')
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Bob Jones', retries=WAIT)
    await open_page(maria, '/appointments', 'appointments-shown')

    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/accounts', 'account-row')
    admin.find(marker='account-search').type('bob.jones')
    await admin.should_not_see('Maria Lopez', retries=WAIT)
    admin.find(marker='account-deactivate').click()
    await admin.should_see(marker='confirm-accept', retries=WAIT)
    admin.find(marker='confirm-accept').click()
    await admin.should_see(marker='conflict-dialog', retries=WAIT)
    await admin.should_see('1 booked appointment ahead with this doctor')
    admin.find(marker='conflict-cancel').click()

    await maria.should_see(marker='appointment-status', content='Cancelled', retries=WAIT)
    await maria.should_see('The doctor is unavailable at that time.')


def doctor_options(user) -> list[str]:
    with user:
        return list(user.find(marker='book-doctor').elements.pop().options.values())
