"""The frame of every page: its title is the page's one h1, a long name is shortened with the whole on hover, and the
bell's button says, in words, the number its badge shows."""

import pytest
from nicegui import ElementFilter, app
from sqlmodel import select

from models import User
from services.booking import book, cancel
from services.read_models.free_time import day_slots
from tests.ui.conftest import WAIT, element, next_monday, sign_in
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


async def test_a_long_name_is_shortened_in_the_header_with_the_whole_name_on_hover(browser):
    long_name = 'Maria ' + 'Lopez-Garcia ' * 15 + 'de la Fuente'
    long_name = long_name[:200]
    with app.state.clinic.db.writing() as session:
        session.exec(select(User).where(User.email == 'maria.lopez@mail.example')).one().full_name = long_name
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await maria.should_see('Book an appointment', retries=WAIT)
    name = element(maria, 'signed-in-name')
    assert name.text == long_name and name.props['title'] == long_name
    assert 'truncate' in name.classes  # one line, ending in an ellipsis (the browser test measures the row)


def _user_id(email: str) -> int:
    with app.state.clinic.db.reading() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


async def test_the_bells_name_holds_the_unread_count_its_badge_shows(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await maria.should_see(marker='notification-bell', retries=WAIT)
    bell = element(maria, 'notification-bell')
    assert bell.props['aria-label'] == 'Notifications'

    clinic = app.state.clinic
    starts_at = next(s for s in day_slots(clinic, doctor_id=1, day=next_monday()).slots if s.label == '10:00').starts_at
    booked = book(clinic, actor_id=_user_id('maria.lopez@mail.example'), doctor_id=1, starts_at=starts_at)
    alice = _user_id('alice.smith@clinic.example')
    cancel(clinic, actor_id=alice, appointment_id=booked.id, reason='The doctor is unavailable at that time.')
    await until(lambda: element(maria, 'notification-count').text == '1', timeout=3)
    assert bell.props['aria-label'] == 'Notifications, 1 unread'
