"""Sign-in by the Enter key, and a sign-up form that shows every problem at once."""

from tests.ui.conftest import WAIT, field_error, sign_in


async def test_enter_in_the_email_field_signs_in_when_both_are_filled(browser):
    maria = browser()
    await maria.open('/login')
    maria.find(marker='login-password').type('demo1234')
    maria.find(marker='login-email').type('maria.lopez@mail.example').trigger('keydown.enter')
    await maria.should_not_see(marker='login-submit', retries=WAIT)
    await maria.should_see('Book an appointment', retries=WAIT)


async def test_enter_in_the_password_field_signs_in(browser):
    maria = browser()
    await maria.open('/login')
    maria.find(marker='login-email').type('maria.lopez@mail.example')
    maria.find(marker='login-password').type('demo1234').trigger('keydown.enter')
    await maria.should_not_see(marker='login-submit', retries=WAIT)


async def test_sign_up_shows_every_problem_at_once(browser):
    visitor = browser()
    await visitor.open('/register')
    visitor.find(marker='register-email').type('nora@mail')
    visitor.find(marker='register-password').type('12345678')
    visitor.find(marker='register-submit').click()
    assert await field_error(visitor, 'register-password') == 'Use at least 10 characters.'
    assert await field_error(visitor, 'register-name') == 'Name is required.'
    assert await field_error(visitor, 'register-email') == 'Enter a valid email address, like name@example.com.'


async def test_sign_up_refuses_a_common_password_and_says_the_rule_on_the_field(browser):
    visitor = browser()
    await visitor.open('/register')
    label = visitor.find(marker='register-password').elements.pop().props['label']
    assert 'at least 10 characters' in label
    visitor.find(marker='register-name').type('Nora Brandt')
    visitor.find(marker='register-email').type('nora@mail.example')
    visitor.find(marker='register-password').type('1234567890')
    visitor.find(marker='register-submit').click()
    assert await field_error(visitor, 'register-password') == 'This password is too common; choose another.'
    visitor.find(marker='register-password').clear().type('tulip-harbour-41')
    visitor.find(marker='register-submit').click()
    await visitor.should_see('Check your inbox at nora@mail.example', retries=WAIT)


async def test_the_admin_adding_a_doctor_with_a_taken_email_is_told_plainly(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await admin.should_see(marker='doctor-password', retries=WAIT)
    assert 'at least 10 characters' in admin.find(marker='doctor-password').elements.pop().props['label']
    admin.find(marker='doctor-name').type('Dr. Maria Lopez')
    admin.find(marker='doctor-email').type('maria.lopez@mail.example')
    admin.find(marker='doctor-password').type('12345678')
    admin.find(marker='doctor-submit').click()
    assert await field_error(admin, 'doctor-password') == 'Use at least 10 characters.'
    assert await field_error(admin, 'doctor-specialty') == 'Specialty is required.'
    admin.find(marker='doctor-specialty').type('Dermatology')
    admin.find(marker='doctor-password').clear().type('skin-deep-2026')
    admin.find(marker='doctor-submit').click()
    assert await field_error(admin, 'doctor-email') == 'An account with this email already exists.'
    await admin.should_not_see('Sign in instead')
