"""A forgotten password, in Chromium against the real app process, whose mail goes to a real SMTP server on loopback:
Maria asks on /forgot (reached from sign-in), the e-mailed link sets a new password once, her tab still open elsewhere
goes to sign-in at once, and only the new password signs her in."""

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RESULTS, App
from tests.factories import Mailbox

MARIA = 'maria.lopez@mail.example'
NEW = 'harbour-lantern-evening-6'


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with Mailbox() as mailbox:
        yield mailbox


@pytest.fixture
def app(tmp_path, request, mailbox) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', mailbox.environment)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def new_browser(chromium: Browser) -> Iterator:
    pages: list[Page] = []

    def open_browser() -> Page:
        page = chromium.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB').new_page()
        pages.append(page)
        return page

    yield open_browser
    for page in pages:
        page.context.close()


def sign_in(page: Page, app: App, password: str) -> None:
    page.goto(f'{app.url}/login')
    page.get_by_test_id('login-email').fill(MARIA)
    page.get_by_test_id('login-password').fill(password)
    page.get_by_test_id('login-submit').click()


def reset_link(mailbox: Mailbox, app: App) -> str:
    """The link mailed to Maria (the mail goes out just after the page answered)."""
    deadline = time.monotonic() + 10
    while not mailbox.to(MARIA):
        assert time.monotonic() < deadline, 'no e-mail reached Maria'
        time.sleep(0.05)
    [mail] = mailbox.to(MARIA)
    [link] = [line.strip() for line in mail.get_content().splitlines() if '/reset?token=' in line]
    assert link.startswith(f'{app.url}/reset?token=')
    return link


def test_a_forgotten_password_is_set_anew_by_the_mailed_link_once(app, mailbox, new_browser):
    elsewhere = new_browser()  # Maria's phone, still signed in with the old password
    sign_in(elsewhere, app, 'demo1234')
    expect(elsewhere.get_by_text('Book an appointment').first).to_be_visible()
    elsewhere.goto(f'{app.url}/appointments')
    expect(elsewhere.get_by_test_id('notification-bell')).to_be_visible()

    maria = new_browser()
    maria.goto(f'{app.url}/login')
    maria.get_by_text('Forgot password?').click()
    maria.get_by_test_id('forgot-email').fill(MARIA)
    maria.get_by_test_id('forgot-submit').click()
    expect(maria.get_by_text(f'If {MARIA} belongs to an account')).to_be_visible()

    link = reset_link(mailbox, app)
    maria.goto(link)
    maria.get_by_test_id('password-new').fill(NEW)
    maria.get_by_test_id('password-submit').click()
    expect(maria.get_by_text('Your new password is set. Sign in with it.')).to_be_visible()
    expect(elsewhere.get_by_test_id('login-submit')).to_be_visible()  # her other tab left its page at once

    sign_in(maria, app, 'demo1234')
    expect(maria.get_by_text('Wrong email or password.')).to_be_visible()
    sign_in(maria, app, NEW)
    expect(maria.get_by_text('Book an appointment').first).to_be_visible()

    again = new_browser()
    again.goto(link)
    expect(again.get_by_test_id('reset-invalid')).to_be_visible()
    expect(again.get_by_test_id('password-new')).to_have_count(0)
