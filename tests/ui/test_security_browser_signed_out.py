"""Finding 3 with the User fixture: an admin's page left open after its browser signed out elsewhere (a tab served by
another app process, say) creates no doctor, and goes to sign-in."""

from nicegui import app
from sqlmodel import delete

from models import SignIn
from services.schedule import list_doctors
from tests.ui.conftest import WAIT, sign_in


async def test_an_admin_page_left_open_after_signing_out_elsewhere_creates_no_doctor_and_goes_to_sign_in(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await admin.should_see('Clinic admin')
    clinic = app.state.clinic
    with clinic.db.writing() as session:  # signed out through another process: this one's pages are not told
        session.exec(delete(SignIn))

    admin.find(marker='doctor-name').type('Dr. Eve Stone')
    admin.find(marker='doctor-email').type('eve.stone@clinic.example')
    admin.find(marker='doctor-specialty').type('Dermatology')
    admin.find(marker='doctor-password').type('a-long-password')
    admin.find(marker='doctor-submit').click()

    await admin.should_see(marker='login-submit', retries=WAIT)
    assert 'Dr. Eve Stone' not in [doctor.full_name for doctor in list_doctors(app.state.clinic)]
