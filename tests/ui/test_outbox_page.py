"""The front desk sees the e-mail outbox on /admin: a confirmation the mail server refused is shown failed with the
server's words, and Retry sends it once the problem is gone."""

import asyncio

import pytest
from nicegui import app
from nicegui.testing.user_interaction import UserInteraction

from services.outbox import send_due
from tests.factories import Mailbox
from tests.ui.conftest import WAIT, element, next_monday, open_day, open_page, pick, sign_in
from tests.waiting import until

MARIA = 'maria.lopez@mail.example'


@pytest.fixture
def refusing_mailbox(monkeypatch):
    with Mailbox('550 5.1.1 no such mailbox') as mailbox:
        for name, value in mailbox.environment.items():
            monkeypatch.setenv(name, value)
        yield mailbox


async def send_now() -> None:
    await asyncio.to_thread(send_due, app.state.scheduler.clinic)


async def test_a_refused_confirmation_is_shown_failed_and_retry_sends_it(refusing_mailbox, browser):
    maria, admin = browser(), browser()
    await sign_in(maria, MARIA)
    await open_day(maria, next_monday())
    pick(maria, '10:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await send_now()

    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'outbox-counts')  # the outbox card has arrived (it loads after the page)
    await until(lambda: element(admin, 'outbox-counts').text == '0 waiting · 0 sent · 1 failed', timeout=WAIT / 10)
    await admin.should_see('550 5.1.1 no such mailbox', retries=WAIT)
    with admin:
        [retry] = admin.find(marker='outbox-retry').elements
    UserInteraction(admin, {retry}, None).click()
    await admin.should_see(f'The e-mail to {MARIA} will be sent again.', retries=WAIT)
    await send_now()
    [mail] = refusing_mailbox.to(MARIA)
    assert mail['Subject'].startswith('Booked: Dr. Alice Smith')
