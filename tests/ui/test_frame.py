"""The frame of every page: its title is the page's one h1, a long name is shortened with the whole on hover, and the
bell counts and lists the person's messages (the browser test checks what it draws)."""

import pytest
from nicegui import ElementFilter, app
from sqlmodel import select

from models import User
from services.booking import book, cancel
from services.read_models.free_time import day_slots
from tests.ui.conftest import WAIT, bar_shows, bell_messages, element, mark_all_read, next_monday, sign_in, unread
from tests.waiting import until


def headings(user, level: int) -> list[str]:
    with user:
        return [e.text for e in ElementFilter() if e.tag == f'h{level}' and e.visible]


@pytest.mark.parametrize(('path', 'title'), [('/login', 'Sign in'), ('/register', 'Create your patient account')])
async def test_the_sign_in_pages_have_their_title_as_h1(browser, path, title):
    visitor = browser()
    await visitor.open(path)
    assert headings(visitor, 1) == [title]


@pytest.mark.parametrize(
    ('email', 'title'),
    [
        ('maria.lopez@mail.example', 'Book an appointment'),
        ('alice.smith@clinic.example', 'My schedule'),
        ('admin@clinic.example', 'Clinic admin'),
    ],
)
async def test_each_start_page_has_its_title_as_the_one_h1(browser, email, title):
    person = browser()
    await sign_in(person, email)
    await person.should_see(title, retries=WAIT)
    assert headings(person, 1) == [title]


async def test_a_long_name_reaches_the_header_whole(browser):
    """The header shows it shortened with the whole name on hover (the browser test measures the row)."""
    long_name = 'Maria ' + 'Lopez-Garcia ' * 15 + 'de la Fuente'
    long_name = long_name[:200]
    with app.state.clinic.db.writing() as session:
        session.exec(select(User).where(User.email == 'maria.lopez@mail.example')).one().full_name = long_name
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await maria.should_see('Book an appointment', retries=WAIT)
    assert element(maria, 'clinic-bar').props['name'] == long_name


def _user_id(email: str) -> int:
    with app.state.clinic.db.reading() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


def _doctor_cancels_marias_booking() -> None:
    """Maria books 10:00 next Monday with Dr. Alice Smith, who cancels it: Maria gets a message."""
    clinic = app.state.clinic
    starts_at = next(s for s in day_slots(clinic, doctor_id=1, day=next_monday()).slots if s.label == '10:00').starts_at
    booked = book(clinic, actor_id=_user_id('maria.lopez@mail.example'), doctor_id=1, starts_at=starts_at)
    alice = _user_id('alice.smith@clinic.example')
    cancel(clinic, actor_id=alice, appointment_id=booked.id, reason='The doctor is unavailable at that time.')


async def test_the_bell_counts_a_new_message_and_lists_it(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await maria.should_see(marker='clinic-bar', retries=WAIT)
    await until(lambda: element(maria, 'clinic-bar').inbox_shown, timeout=3)
    assert unread(maria) == 0 and bell_messages(maria) == []

    _doctor_cancels_marias_booking()
    await until(lambda: unread(maria) == 1, timeout=3)
    [message] = bell_messages(maria)
    assert 'Dr. Alice Smith' in message and 'cancelled' in message.lower()

    mark_all_read(maria)
    await until(lambda: unread(maria) == 0, timeout=3)


async def test_the_bell_marks_read_only_what_it_showed(browser):
    """A forged "read" (an id it did not show, a string, a list) reaches no service and marks nothing."""
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await maria.should_see(marker='clinic-bar', retries=WAIT)
    _doctor_cancels_marias_booking()
    await until(lambda: unread(maria) == 1, timeout=3)
    bar = element(maria, 'clinic-bar')
    shown = bar_shows(maria, 'inbox')['messages'][0]['id']
    asked: list[int | None] = []
    bar.on_read(asked.append)  # what reaches the service, in the order the browser's events came
    for forged in (shown + 1000, str(shown), [shown], {'id': shown}, True, 'every'):
        maria.find(marker='clinic-bar').trigger('read', forged)
    maria.find(marker='clinic-bar').trigger('read', shown)
    await until(lambda: asked != [], timeout=3)
    assert asked == [shown]
    assert unread(maria) == 1  # the forged ones marked nothing
