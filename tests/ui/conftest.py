"""NiceGUI User-fixture tests: several simulated browsers against the real main.py and a fresh demo clinic."""

import asyncio
import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from nicegui import ElementFilter, context, core
from nicegui.functions.navigate import Navigate
from nicegui.testing import User
from nicegui.testing.user_navigate import UserNavigate
from nicegui.testing.user_notify import UserNotify

from pages.components.day_watchers import EVENT as DAY_EVENT
from pages.components.slot_grid import WORDS as SLOT_WORDS
from pages.components.slot_grid import SlotGrid, origin_tag

TIMEZONE = 'Europe/Berlin'
WAIT = 30  # retries of 0.1 s while waiting for a live update to arrive


@pytest.fixture(autouse=True)
def demo_clinic(tmp_path, monkeypatch):
    monkeypatch.setenv('CLINIC_DATA_DIR', str(tmp_path))
    monkeypatch.setenv('CLINIC_DEMO', 'true')
    monkeypatch.setenv('CLINIC_TIMEZONE', TIMEZONE)
    monkeypatch.delenv('CLINIC_DATABASE_URL', raising=False)


class NotificationsPerBrowser(UserNotify):
    """Records each popup under the browser (client) it appeared in, since `ui.notify` is shared by all users.

    The booking page's grid pops up other people's changes in the browser itself (`slot_grid.js`), from the one
    message a change sends to every browser showing the day; a simulated browser runs no JavaScript, so such a
    message is recorded as the popup it makes (one per change: gathering several into one is the browser's part,
    tested in Chromium).
    """

    def __init__(self) -> None:
        super().__init__()
        self.by_client: dict[str, list[str]] = defaultdict(list)
        self.sent: list[tuple[str, dict, list[str] | str | None]] = []  # every message sent to rooms of browsers

    def __call__(self, message, **kwargs) -> None:
        super().__call__(message, **kwargs)
        self.by_client[context.client.id].append(str(message))

    def heard(self, event: str, data: dict, rooms: list[str] | str | None) -> None:
        self.sent.append((event, data, rooms))
        if event != DAY_EVENT or not data.get('popup'):
            return
        for client_id in rooms if isinstance(rooms, list) else [rooms]:
            if client_id is not None and data['popup']['origin'] != origin_tag(client_id):
                self.by_client[client_id].append(SLOT_WORDS['one'])


_page_being_built = Navigate()


class NavigationPerBrowser:
    """Sends `ui.navigate` calls to the browser whose page made them.

    The User fixture points the global `ui.navigate` at whichever simulated user was touched last, and its
    outbox touches its user whenever a page runs JavaScript, so with several users a sign-in could navigate
    the wrong browser. This routes by the NiceGUI client the call is made from.
    """

    def __init__(self) -> None:
        self.users: list[tuple[User, UserNavigate]] = []

    def add(self, user: User) -> None:
        self.users.append((user, user.navigate))
        user.navigate = self

    def __getattr__(self, name: str):
        client = context.client
        for user, navigate in self.users:
            if user.client is client:
                return getattr(navigate, name)
        return getattr(_page_being_built, name)  # e.g. history.replace while the page is still being built


@pytest.fixture
def popups(monkeypatch) -> NotificationsPerBrowser:
    recorded = NotificationsPerBrowser()
    emit = core.sio.emit

    def emit_and_record(event, data=None, *args, room=None, **kwargs):
        recorded.heard(event, data, room)  # when the message is sent off, as the page's own popups are
        return emit(event, data, *args, room=room, **kwargs)

    monkeypatch.setattr(core.sio, 'emit', emit_and_record)
    return recorded


@pytest.fixture
def browser(create_user, popups):
    """Open a new simulated browser with its own cookies; its popups and navigation stay its own."""
    navigation = NavigationPerBrowser()

    def open_browser() -> User:
        user = create_user()
        user.notify = popups
        navigation.add(user)
        return user

    return open_browser


def next_monday() -> date:
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    return today + timedelta(days=7 - today.weekday())


def seen_popups(user: User, popups: NotificationsPerBrowser) -> list[str]:
    return popups.by_client[user.client.id]


async def sign_in(user: User, email: str, password: str = 'demo1234') -> None:
    await user.open('/login')
    user.find(marker='login-email').type(email)
    user.find(marker='login-password').type(password)
    user.find(marker='login-submit').click()
    await user.should_not_see(marker='login-submit', retries=WAIT)


async def open_day(user: User, day: date, doctor: str = 'Dr. Alice Smith') -> None:
    """Sign-in must have happened; open /book and show a doctor's day."""
    await open_page(user, '/book', 'book-doctor')
    select = user.find(marker='book-doctor')
    option = next(label for label in select.elements.pop().options.values() if label.startswith(doctor))
    user.find(marker='book-doctor').click()
    user.find(option).click()
    user.find(marker='book-date').clear().type(day.isoformat())
    await user.should_see(f'{doctor} on {day:%A} {day.day} {day:%B %Y}', retries=WAIT)
    await shows_times(user)


def _shown(user: User) -> list[tuple[str, str]]:
    """(start, label) of each time the browser's grid shows: its list for the kind of visit chosen (or the first)."""
    with user:
        grids = list(ElementFilter(kind=SlotGrid))
    if not grids or grids[0].state is None:
        return []
    lists, kind = grids[0].state['slots'], grids[0].props.get('kind')
    if kind is None:
        return list(next(iter(lists.values()), []))
    return list(lists.get(kind, []))


def slot_labels(user: User) -> list[str]:
    """The free times the browser's grid shows (it draws them from the grid's list)."""
    return sorted(label for _, label in _shown(user))


async def shows_times(user: User) -> None:
    for _ in range(WAIT):
        if slot_labels(user):
            return
        await asyncio.sleep(0.1)
    raise AssertionError('the booking page shows no free times')


def pick(user: User, label: str) -> None:
    """Click the time `label` in the grid, as the browser reports the click."""
    start = next((start for start, shown in _shown(user) if shown == label), None)
    assert start is not None, f'{label} is not among the free times {slot_labels(user)}'
    user.find(kind=SlotGrid).trigger('pick', start)


def count(user: User, marker: str) -> int:
    """How many elements with this marker the browser shows right now ('slot': the free times in the grid)."""
    if marker == 'slot':
        return len(slot_labels(user))
    with user:
        return len(list(ElementFilter(marker=marker)))


async def field_error(user: User, marker: str) -> str | None:
    """Wait for the message shown next to a form field, and return it (None if none came)."""
    with user:
        element = user.find(marker=marker).elements.pop()
    for _ in range(WAIT):
        if element.error:
            return element.error
        await asyncio.sleep(0.1)
    return element.error


async def open_page(user: User, path: str, ready_marker: str) -> None:
    """Open a page and wait until its content (built after an await in the page function) has arrived."""
    await user.open(path)
    if ready_marker == 'slot':  # the times are drawn by the browser from the grid's list
        await shows_times(user)
        return
    await user.should_see(marker=ready_marker, retries=WAIT)


def bar_shows(user: User, name: str) -> Any:
    """One of the values the browser draws the header from ('links', 'languages', 'inbox'; sent as JSON text)."""
    value = element(user, 'clinic-bar').props[name]
    return json.loads(value) if value is not None else None


def unread(user: User) -> int:
    """The number on the bell's badge (the browser draws the header from the bar's values; 0 shows no badge)."""
    return bar_shows(user, 'inbox')['unread']


def bell_messages(user: User) -> list[str]:
    """The texts of the messages listed under the bell, newest first."""
    return [message['text'] for message in bar_shows(user, 'inbox')['messages']]


def signed_in_as(user: User) -> str | None:
    """The name the header shows as signed in (None: no one is)."""
    return element(user, 'clinic-bar').props['name']


async def follow_link(user: User, label: str) -> None:
    """Follow the header's navigation link `label` (a plain link the browser draws, so: open its address)."""
    links = dict(bar_shows(user, 'links'))
    assert label in links, f'the header offers no {label!r}: {sorted(links)}'
    await user.open(links[label])


def mark_all_read(user: User) -> None:
    """Click "Mark all as read" under the bell, as the browser reports the click."""
    user.find(marker='clinic-bar').trigger('read', 'all')


def element(user: User, marker: str):
    """The one element with this marker, shown or hidden (User.find only sees visible ones)."""
    with user:
        [found] = list(ElementFilter(marker=marker))
    return found
