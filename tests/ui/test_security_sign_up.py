"""Slot hoarding through sign-up, with the User fixture against the real app, whose mail goes to a real SMTP server:
/register answers alike for a known and a new address and signs nobody in; the link e-mailed to the address confirms
it, signs its browser in and lets it book; an unconfirmed account may sign in but not book."""

import asyncio
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from nicegui import ElementFilter, app
from sqlalchemy import event
from sqlmodel import select

from models import User
from services.clock import FixedClock
from tests.factories import Mailbox
from tests.ui.conftest import WAIT, element, next_monday, open_day, open_page, pick, seen_popups, sign_in, signed_in_as
from tests.waiting import until

MARIA = 'maria.lopez@mail.example'
MUST_CONFIRM = 'Confirm your email address first: we sent you a link.'


@pytest.fixture
def mailbox(monkeypatch):
    """A real SMTP server the app sends its mail to (set before the app starts)."""
    with Mailbox() as mailbox:
        for name, value in mailbox.environment.items():
            monkeypatch.setenv(name, value)
        yield mailbox


async def sign_up(user, email: str, name: str = 'Nora Brandt', password: str = 'noras-password') -> None:
    await user.open('/register')
    user.find(marker='register-name').type(name)
    user.find(marker='register-email').type(email)
    user.find(marker='register-password').type(password)
    user.find(marker='register-submit').click()
    await user.should_see(marker='register-answer', retries=WAIT)


def what_is_shown(user, email: str) -> list[str]:
    """Every visible element of the page: its kind, text and label, with the address typed in left out."""
    with user:
        return [
            f'{element.tag} {getattr(element, "text", "")} {element.props.get("label", "")}'.replace(email, '<email>')
            for element in ElementFilter(only_visible=True)
        ]


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return f'{parts.path}?{parts.query}'


def account(email: str) -> User:
    with app.state.clinic.db.reading() as session:
        return session.exec(select(User).where(User.email == email)).one()


async def is_signed_in(user) -> bool:
    return (await user.http_client.get('/book')).status_code == 200


async def test_a_stranger_signing_up_with_a_patients_email_sees_what_a_new_address_sees(mailbox, browser, popups):
    stranger, newcomer, maria = browser(), browser(), browser()
    before = account(MARIA)

    await sign_up(stranger, MARIA, 'Mallory', 'mallory-pass')
    await sign_up(newcomer, 'nora@mail.example')

    assert what_is_shown(stranger, MARIA) == what_is_shown(newcomer, 'nora@mail.example')
    await stranger.should_see(
        f'Check your inbox at {MARIA}: the link there finishes creating your account. It is valid for 24 hours.'
    )
    assert seen_popups(stranger, popups) == seen_popups(newcomer, popups) == []
    assert not await is_signed_in(stranger) and not await is_signed_in(newcomer)
    after = account(MARIA)
    assert (after.full_name, after.password_hash) == (before.full_name, before.password_hash)
    await sign_in(maria, MARIA)  # her password still works, and she was told someone tried
    await maria.should_see('Book an appointment', retries=WAIT)
    [notice] = mailbox.to(MARIA)
    assert notice['Subject'] == 'Someone tried to sign up with your email address'


async def test_the_link_from_the_email_signs_in_and_the_new_patient_books(mailbox, browser):
    nora = browser()
    await sign_up(nora, 'nora@mail.example')
    [link] = mailbox.links('nora@mail.example')

    await open_page(nora, path_of(link), 'confirm-email-submit')
    await nora.should_see('Confirm nora@mail.example as your email address')
    nora.find(marker='confirm-email-submit').click()
    await nora.should_see('Book an appointment', retries=WAIT)
    assert signed_in_as(nora) == 'Nora Brandt'  # the header names her
    await open_day(nora, next_monday())
    pick(nora, '10:00')
    nora.find(marker='book-submit').click()
    await nora.should_see('Booked: Dr. Alice Smith', retries=WAIT)

    again = browser()  # the same link, opened again (a forwarded mail, a browser's history)
    await open_page(again, path_of(link), 'confirm-email-invalid')
    await again.should_see('This link no longer works')
    assert not await is_signed_in(again)


async def test_a_link_left_for_more_than_24_hours_no_longer_works(mailbox, browser):
    nora = browser()
    await sign_up(nora, 'nora@mail.example')
    [link] = mailbox.links('nora@mail.example')
    app.state.clinic.clock = FixedClock(datetime.now(UTC) + timedelta(hours=24, seconds=1))

    await open_page(nora, path_of(link), 'confirm-email-invalid')
    await nora.should_see('Sign up again')
    assert account('nora@mail.example').email_confirmed_at is None


async def test_an_unconfirmed_patient_signs_in_and_is_told_to_confirm_before_booking(mailbox, browser):
    nora = browser()
    await sign_up(nora, 'nora@mail.example')
    await sign_in(nora, 'nora@mail.example', 'noras-password')
    await open_day(nora, next_monday())
    pick(nora, '10:00')
    nora.find(marker='book-submit').click()
    await nora.should_see(MUST_CONFIRM, retries=WAIT)


async def test_after_a_squatters_sign_up_the_owners_newest_link_makes_the_account_theirs(mailbox, browser):
    squatter, nora = browser(), browser()
    await sign_up(squatter, 'nora@mail.example', 'Mallory', 'mallory-pass')
    await sign_in(squatter, 'nora@mail.example', 'mallory-pass')  # the squatter may sign in, not book
    await sign_up(nora, 'nora@mail.example')  # Nora never learns someone was first

    _mallorys, noras = mailbox.links('nora@mail.example')  # both in Nora's mailbox
    await open_page(nora, path_of(noras), 'confirm-email-submit')
    nora.find(marker='confirm-email-submit').click()
    await until(lambda: signed_in_as(nora) == 'Nora Brandt')  # the header names her
    assert not await is_signed_in(squatter)  # signed out when a newer sign-up replaced theirs


async def test_signing_up_and_confirming_touch_the_database_and_the_mail_server_off_the_event_loop(mailbox, browser):
    on_the_loop: list[str] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # a worker thread: where database work (and the mail sent after it) belongs
        on_the_loop.append(statement)

    engine = app.state.clinic.db.engine
    event.listen(engine, 'before_cursor_execute', record)
    try:
        nora = browser()
        await sign_up(nora, 'nora@mail.example')
        await open_page(nora, path_of(mailbox.links('nora@mail.example')[0]), 'confirm-email-submit')
        nora.find(marker='confirm-email-submit').click()
        await until(lambda: signed_in_as(nora) == 'Nora Brandt')  # the header names her
    finally:
        event.remove(engine, 'before_cursor_execute', record)
    assert on_the_loop == []


async def test_a_page_that_answered_sends_no_more_mail_when_its_hidden_button_is_clicked(mailbox, browser):
    nora = browser()
    await sign_up(nora, 'nora@mail.example')
    button = element(nora, 'register-submit')  # inside the hidden form, but its own `visible` is still true
    assert not button.enabled  # NiceGUI drops a disabled element's events before any handler runs
    [listener_id] = [key for key, listener in button._event_listeners.items() if listener.type == 'click']
    for _ in range(3):  # what a script sends over the page's socket: clicks on that button
        nora.client.handle_event({'id': button.id, 'listener_id': listener_id, 'args': []})
    assert len(mailbox.to('nora@mail.example')) == 1
