"""NiceGUI User-fixture tests: several simulated browsers against the real main.py and a fresh demo clinic."""

import asyncio
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from nicegui import ElementFilter, context
from nicegui.functions.navigate import Navigate
from nicegui.testing import User
from nicegui.testing.user_navigate import UserNavigate
from nicegui.testing.user_notify import UserNotify

TIMEZONE = 'Europe/Berlin'
WAIT = 30  # retries of 0.1 s while waiting for a live update to arrive


@pytest.fixture(autouse=True)
def demo_clinic(tmp_path, monkeypatch):
    monkeypatch.setenv('CLINIC_DATA_DIR', str(tmp_path))
    monkeypatch.setenv('CLINIC_DEMO', 'true')
    monkeypatch.setenv('CLINIC_TIMEZONE', TIMEZONE)
    monkeypatch.delenv('CLINIC_DATABASE_URL', raising=False)


class NotificationsPerBrowser(UserNotify):
    """Records each popup under the browser (client) it appeared in, since `ui.notify` is shared by all users."""

    def __init__(self) -> None:
        super().__init__()
        self.by_client: dict[str, list[str]] = defaultdict(list)

    def __call__(self, message, **kwargs) -> None:
        super().__call__(message, **kwargs)
        self.by_client[context.client.id].append(str(message))


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
def popups() -> NotificationsPerBrowser:
    return NotificationsPerBrowser()


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
    await user.should_see(marker='slot', retries=WAIT)


def slot_labels(user: User) -> list[str]:
    with user:
        return sorted(button.text for button in user.find(marker='slot').elements)


def count(user: User, marker: str) -> int:
    """How many elements with this marker the browser shows right now."""
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
    await user.should_see(marker=ready_marker, retries=WAIT)


def element(user: User, marker: str):
    """The one element with this marker, shown or hidden (User.find only sees visible ones)."""
    with user:
        [found] = list(ElementFilter(marker=marker))
    return found
