"""/forgot and /reset with the User fixture against the real app, whose mail goes to a real SMTP server: the same
answer for a known and an unknown address, the e-mailed link sets a new password once, and sign-in offers the way."""

import asyncio
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from nicegui import app
from sqlmodel import select

from models import Role, User
from services.password_resets import desk_reset_link
from tests.factories import Mailbox
from tests.ui.conftest import WAIT, sign_in
from tests.ui.test_security_sign_up import what_is_shown

MARIA = 'maria.lopez@mail.example'
RESET_LINK = re.compile(r'https?://\S+/reset\?token=[\w-]+')


@pytest.fixture
def mailbox(monkeypatch):
    with Mailbox() as mailbox:
        for name, value in mailbox.environment.items():
            monkeypatch.setenv(name, value)
        # the outbox's round only once an hour: a link arrives in time only because the request wakes the sender
        monkeypatch.setattr('services.scheduler.OUTBOX_EVERY', timedelta(hours=1))
        yield mailbox


async def ask_for_link(user, email: str) -> None:
    await user.open('/forgot')
    user.find(marker='forgot-email').type(email)
    user.find(marker='forgot-submit').click()
    await user.should_see(marker='forgot-answer', retries=WAIT)


async def reset_links(mailbox: Mailbox, address: str) -> list[str]:
    for _ in range(WAIT):
        links = [link for mail in mailbox.to(address) for link in RESET_LINK.findall(mail.get_content())]
        if links:
            return links
        await asyncio.sleep(0.1)
    raise AssertionError(f'no reset link reached {address}')


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f'{parts.path}?{parts.query}'


async def test_sign_in_offers_forgot_password(user):
    await user.open('/login')
    user.find('Forgot password?').click()
    await user.should_see(marker='forgot-email', retries=WAIT)


async def test_a_known_and_an_unknown_address_see_the_same_answer(mailbox, browser):
    known, unknown = browser(), browser()
    await ask_for_link(known, MARIA)
    await ask_for_link(unknown, 'nobody@mail.example')
    assert what_is_shown(known, MARIA) == what_is_shown(unknown, 'nobody@mail.example')
    await known.should_see(f'If {MARIA} belongs to an account, a link to set a new password is on its way there.')
    await reset_links(mailbox, MARIA)
    assert mailbox.to('nobody@mail.example') == []


async def test_the_mailed_link_sets_a_new_password_once(mailbox, browser):
    maria = browser()
    await ask_for_link(maria, MARIA)
    [link] = await reset_links(mailbox, MARIA)
    await maria.open(path_of(link))
    maria.find(marker='password-new').type('short')
    maria.find(marker='password-submit').click()
    await maria.should_see('Use at least 10 characters.', retries=WAIT)
    maria.find(marker='password-new').clear().type('lighthouse-morning-42')
    maria.find(marker='password-submit').click()
    await maria.should_see('Your new password is set. Sign in with it.', retries=WAIT)
    await sign_in(maria, MARIA, 'lighthouse-morning-42')
    await maria.should_see('Book an appointment', retries=WAIT)

    again = browser()
    await again.open(path_of(link))
    await again.should_see(marker='reset-invalid', retries=WAIT)
    await again.should_not_see(marker='password-new')


async def test_a_walk_in_claims_their_account_with_the_desks_link_and_an_email(browser):
    clinic = app.state.clinic
    with clinic.db.writing() as session:
        walk_in = User(full_name='Wendy Walker', phone='+49301234567', role=Role.patient, password_hash='')
        session.add(walk_in)
        session.flush()
        walk_in_id = walk_in.id
        admin = session.exec(select(User.id).where(User.role == Role.admin)).first()
    link = desk_reset_link(clinic, actor_id=admin, user_id=walk_in_id)
    wendy = browser()
    await wendy.open(path_of(link))
    wendy.find(marker='reset-email').type('maria.lopez@mail.example')
    wendy.find(marker='password-new').type('lighthouse-morning-42')
    wendy.find(marker='password-submit').click()
    await wendy.should_see('Another account has this email address', retries=WAIT)
    wendy.find(marker='reset-email').clear().type('wendy@mail.example')
    wendy.find(marker='password-submit').click()
    await wendy.should_see('Your new password is set. Sign in with it.', retries=WAIT)
    await sign_in(wendy, 'wendy@mail.example', 'lighthouse-morning-42')
    await wendy.should_see('Book an appointment', retries=WAIT)
