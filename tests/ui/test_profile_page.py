"""/profile with the User fixture against the real demo app: name and phone saved, and a password change that sends the
person's other open browser to sign-in at once, while this one stays signed in."""

from nicegui import app

from services.accounts import sign_in as check_sign_in
from tests.ui.conftest import WAIT, follow_link, open_page, sign_in

MARIA = 'maria.lopez@mail.example'
NEW = 'copper-kettle-sunrise-8'


async def test_changing_the_password_sends_the_other_browser_to_sign_in(browser):
    laptop, phone = browser(), browser()
    await sign_in(laptop, MARIA)
    await sign_in(phone, MARIA)
    await open_page(phone, '/appointments', 'clinic-bar')
    await open_page(laptop, '/profile', 'password-current')
    laptop.find(marker='password-current').type('wrong-one')
    laptop.find(marker='password-new').type(NEW)
    laptop.find(marker='password-submit').click()
    await laptop.should_see('This is not your current password.', retries=WAIT)
    await phone.should_see(marker='clinic-bar')  # nothing changed yet

    laptop.find(marker='password-current').clear().type('demo1234')
    laptop.find(marker='password-submit').click()
    await laptop.should_see('Your password is changed. Your other browsers are signed out.', retries=WAIT)
    await phone.should_see(marker='login-submit', retries=WAIT)  # live, without any action of its own
    await open_page(laptop, '/book', 'book-doctor')  # this browser stays signed in
    assert check_sign_in(app.state.clinic, email=MARIA, password=NEW).email == MARIA


async def test_name_and_phone_are_saved(browser):
    maria = browser()
    await sign_in(maria, MARIA)
    await open_page(maria, '/profile', 'profile-name')
    maria.find(marker='profile-name').clear().type('Maria Lopez Vega')
    maria.find(marker='profile-phone').clear().type('+49 30 555 0101')
    maria.find(marker='profile-submit').click()
    await maria.should_see('Saved.', retries=WAIT)
    await open_page(maria, '/profile', 'profile-name')
    await maria.should_see('Maria Lopez Vega')
    maria.find(marker='profile-phone').clear().type('not a phone')
    maria.find(marker='profile-submit').click()
    await maria.should_see('Enter a phone number', retries=WAIT)


async def test_every_role_reaches_its_profile(browser):
    for email in (MARIA, 'alice.smith@clinic.example', 'admin@clinic.example'):
        person = browser()
        await sign_in(person, email)
        await follow_link(person, 'Profile')
        await person.should_see(marker='password-current', retries=WAIT)
