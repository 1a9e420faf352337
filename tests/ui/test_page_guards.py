"""Who may open which page: sign-in and back, "Not allowed", the route matrix, sign-out, ended accounts, cookies."""

import pytest

from tests.ui.conftest import WAIT, next_monday, open_day, pick, sign_in


@pytest.mark.parametrize('path', ['/book', '/appointments', '/schedule', '/admin', '/admin/doctors/1/schedule'])
async def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(browser, path):
    visitor = browser()
    await visitor.open(path)
    await visitor.should_see(marker='login-submit')


@pytest.mark.parametrize(
    ('email', 'path'),
    [
        ('maria.lopez@mail.example', '/schedule'),
        ('maria.lopez@mail.example', '/admin'),
        ('maria.lopez@mail.example', '/admin/doctors/1/schedule'),
        ('alice.smith@clinic.example', '/book'),
        ('alice.smith@clinic.example', '/admin'),
        ('alice.smith@clinic.example', '/admin/doctors/2/schedule'),
        ('admin@clinic.example', '/book'),
        ('admin@clinic.example', '/schedule'),
    ],
)
async def test_a_page_of_another_role_says_not_allowed(browser, email, path):
    person = browser()
    await sign_in(person, email)
    response = await person.http_client.get(path)
    assert response.status_code == 403
    assert 'Not allowed' in response.text
    assert 'unavailability-submit' not in response.text and 'book-submit' not in response.text


async def test_signing_in_leads_back_to_the_address_asked_for_with_its_query(browser):
    day = next_monday()
    maria = browser()
    response = await maria.http_client.get(f'/book?doctor=2&day={day}')
    assert response.status_code == 303
    await maria.open(response.headers['location'])
    maria.find(marker='login-email').type('maria.lopez@mail.example')
    maria.find(marker='login-password').type('demo1234')
    maria.find(marker='login-submit').click()
    await maria.should_see(f'Dr. Bob Jones on {day:%A} {day.day} {day:%B %Y}', retries=WAIT)


async def test_an_unknown_doctor_id_is_a_clear_not_found(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    response = await admin.http_client.get('/admin/doctors/999/schedule')
    assert response.status_code == 404 and 'There is no such doctor.' in response.text


async def test_signing_in_lands_on_each_roles_start_page_and_signing_out_ends_it(browser):
    for email, landing in (
        ('maria.lopez@mail.example', 'Book an appointment'),
        ('alice.smith@clinic.example', 'My schedule'),
        ('admin@clinic.example', 'Clinic admin'),
    ):
        person = browser()
        await sign_in(person, email)
        await person.should_see(landing)
    await person.open('/logout')
    await person.should_see(marker='login-submit')
    await person.open('/admin')
    await person.should_see(marker='login-submit')


async def test_session_cookies_are_http_only_and_same_site(browser):
    visitor = browser()
    response = await visitor.http_client.get('/login')
    cookie = response.headers.get('set-cookie', '')
    assert 'httponly' in cookie.lower() and 'samesite=lax' in cookie.lower()


async def test_a_deactivated_patient_is_signed_out_at_the_next_action(browser):
    from nicegui import app
    from sqlmodel import select

    from models import User

    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, next_monday())
    clinic = app.state.clinic
    with clinic.db.writing() as session:
        session.exec(select(User).where(User.email == 'maria.lopez@mail.example')).one().is_active = False
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see(marker='login-submit', retries=WAIT)
    await maria.open('/book')
    await maria.should_see(marker='login-submit')
    await maria.open('/appointments')
    await maria.should_see(marker='login-submit')


async def test_a_sign_in_that_ends_while_the_page_is_being_built_sends_the_browser_to_sign_in(browser, monkeypatch):
    """The admin page reads the clinic in several steps; a sign-out from elsewhere between two of them (CI once
    caught one on a busy machine) refuses the next step, and the tab goes to sign-in, not to an error."""
    from nicegui import app
    from sqlmodel import select

    import pages.admin
    from models import User
    from services.sign_ins import end_other_sign_ins

    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    clinic = app.state.clinic
    with clinic.db.reading() as session:
        admin_id = session.exec(select(User.id).where(User.email == 'admin@clinic.example')).one()
    first_step = pages.admin.list_doctors

    def signed_out_meanwhile(*args, **kwargs):
        doctors = first_step(*args, **kwargs)
        with clinic.db.writing() as session:  # every browser of the admin signs out, as a new password elsewhere does
            end_other_sign_ins(session, person_id=admin_id, browser_id='')
        return doctors

    monkeypatch.setattr(pages.admin, 'list_doctors', signed_out_meanwhile)
    await admin.open('/admin')
    await admin.should_see(marker='login-submit', retries=WAIT)  # and the fixture finds no error logged


ROUTES = [
    '/book',
    '/appointments',
    '/schedule',
    '/admin',
    '/admin/doctors/1/schedule',
    '/profile',
    '/admin/accounts',
    '/desk',
    '/book?for=5',
]
ROUTE_MATRIX = {  # role -> routes it may open; every other route says "Not allowed" (403); anonymous -> sign-in
    'maria.lopez@mail.example': {'/book', '/appointments', '/profile', '/book?for=5'},  # `for=` ignored: her own
    'alice.smith@clinic.example': {'/appointments', '/schedule', '/profile'},
    'admin@clinic.example': {
        '/appointments',
        '/admin',
        '/admin/doctors/1/schedule',
        '/profile',
        '/admin/accounts',
        '/desk',
        '/book?for=5',
    },
}


@pytest.mark.parametrize('route', ROUTES)
@pytest.mark.parametrize('email', [None, *ROUTE_MATRIX])
async def test_page_route_matrix(browser, email, route):
    person = browser()
    if email is None:
        response = await person.http_client.get(route)
        assert response.status_code == 303 and response.headers['location'].startswith('/login')
        return
    await sign_in(person, email)
    response = await person.http_client.get(route)
    if route in ROUTE_MATRIX[email]:
        assert response.status_code == 200 and 'Not allowed' not in response.text
    else:
        assert response.status_code == 403 and 'Not allowed' in response.text
