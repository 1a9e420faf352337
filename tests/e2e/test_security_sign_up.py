"""Slot hoarding through sign-up, in Chromium against the real app process, whose mail goes to a real SMTP server on
loopback: /register shows a stranger who types a patient's email exactly what it shows for a new address and signs
nobody in; the link e-mailed to a new address confirms it, signs its browser in on /book, and the patient books; the
link works once; a squatter's sign-up is replaced by the owner's."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RESULTS, App, next_working_day, show_day
from tests.factories import Mailbox

MARIA = 'maria.lopez@mail.example'


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as mailbox:
        yield mailbox


@pytest.fixture
def app(tmp_path, request, mailbox) -> Iterator[App]:
    """The demo clinic, sending its mail to `mailbox` (without STARTTLS, as a mail relay on the same host)."""
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', mailbox.environment)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def new_browser(chromium: Browser) -> Iterator:
    """Open a browser of its own (own cookies), as a stranger or a new patient would."""
    pages: list[Page] = []

    def open_browser() -> Page:
        page = chromium.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB').new_page()
        pages.append(page)
        return page

    yield open_browser
    for page in pages:
        page.context.close()


def sign_up(page: Page, app: App, email: str, name: str = 'Nora Brandt', password: str = 'noras-password') -> str:
    """Sign up on /register; return the page's visible text once it answered, with the address typed in left out."""
    page.goto(f'{app.url}/register')
    page.get_by_test_id('register-name').fill(name)
    page.get_by_test_id('register-email').fill(email)
    page.get_by_test_id('register-password').fill(password)
    page.get_by_test_id('register-submit').click()
    expect(page.get_by_text(f'Check your inbox at {email}')).to_be_visible()
    return page.locator('body').inner_text().replace(email, '<email>')


def is_signed_in(page: Page, app: App) -> bool:
    page.goto(f'{app.url}/book')
    return urlsplit(page.url).path == '/book'  # else it was sent to /login


def test_a_stranger_typing_a_patients_email_sees_what_a_new_address_sees(app, mailbox, new_browser):
    stranger, newcomer = new_browser(), new_browser()
    shown_to_stranger = sign_up(stranger, app, MARIA, 'Mallory', 'mallory-pass')
    shown_to_newcomer = sign_up(newcomer, app, 'nora@mail.example')

    assert shown_to_stranger == shown_to_newcomer
    assert stranger.url == newcomer.url == f'{app.url}/register'
    assert not is_signed_in(stranger, app) and not is_signed_in(newcomer, app)
    assert [mail['Subject'] for mail in mailbox.arrived(MARIA)] == ['Someone tried to sign up with your email address']

    maria = new_browser()  # Maria's password and name are as they were
    maria.goto(f'{app.url}/login')
    maria.get_by_test_id('login-email').fill(MARIA)
    maria.get_by_test_id('login-password').fill('demo1234')
    maria.get_by_test_id('login-submit').click()
    expect(maria.get_by_text('Book an appointment').first).to_be_visible()
    expect(maria.get_by_text('Maria Lopez')).to_be_visible()


def test_the_emailed_link_signs_the_new_patient_in_on_book_once(app, mailbox, new_browser):
    day = next_working_day()
    nora = new_browser()
    sign_up(nora, app, 'nora@mail.example')
    mailbox.arrived('nora@mail.example')
    [link] = mailbox.links('nora@mail.example')
    assert link.startswith(f'{app.url}/confirm-email?token=')

    nora.goto(link)
    expect(nora.get_by_text('Confirm nora@mail.example as your email address')).to_be_visible()
    nora.get_by_test_id('confirm-email-submit').click()
    nora.wait_for_url(f'{app.url}/book**')
    expect(nora.get_by_text('Nora Brandt')).to_be_visible()
    show_day(nora, day, 'Dr. Alice Smith')
    nora.get_by_test_id('slot').filter(has_text='10:00').click()
    nora.get_by_test_id('book-submit').click()
    expect(nora.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()

    again = new_browser()
    again.goto(link)
    expect(again.get_by_test_id('confirm-email-invalid')).to_be_visible()
    expect(again.get_by_test_id('confirm-email-submit')).to_have_count(0)
    assert not is_signed_in(again, app)


def test_a_squatters_sign_up_is_replaced_and_only_the_owners_link_finishes_it(app, mailbox, new_browser):
    squatter, nora = new_browser(), new_browser()
    sign_up(squatter, app, 'nora@mail.example', 'Mallory', 'mallory-pass')
    sign_up(nora, app, 'nora@mail.example')
    mailbox.arrived('nora@mail.example', count=2)
    squatters_link, noras_link = mailbox.links('nora@mail.example')  # both in Nora's mailbox only

    squatter.goto(squatters_link)  # were it ever seen: replaced by the newer sign-up
    expect(squatter.get_by_test_id('confirm-email-invalid')).to_be_visible()
    nora.goto(noras_link)
    nora.get_by_test_id('confirm-email-submit').click()
    nora.wait_for_url(f'{app.url}/book**')
    expect(nora.get_by_text('Nora Brandt')).to_be_visible()

    squatter.goto(f'{app.url}/login')
    squatter.get_by_test_id('login-email').fill('nora@mail.example')
    squatter.get_by_test_id('login-password').fill('mallory-pass')
    squatter.get_by_test_id('login-submit').click()
    expect(squatter.get_by_text('Wrong email or password.')).to_be_visible()
