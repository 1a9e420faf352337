"""Real-browser tests: the app started exactly as the README starts it, driven in Debian's Chromium."""

import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / 'test-results'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage']
TIMEZONE = 'Europe/Berlin'
LATENCIES: list[tuple[str, float]] = []
RUNNING: list['App'] = []  # app processes up now: a failing test's report shows the end of their logs
# How long a person waits for what they expect to see before calling it broken. Playwright's 5 s default was once
# too short for a doctor account's creation (a password hash) on a busy 2-core CI machine; latency is measured apart.
expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if 'tests/e2e/' in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


class App:
    """One app process on a free port with its own fresh data dir."""

    def __init__(self, data_dir: Path, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.data_dir, self.log_path = data_dir, log_path
        self.extra_env = env or {}
        self.port = _free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            key: value for key, value in os.environ.items() if not key.startswith(('PYTEST', 'NICEGUI', 'CLINIC_'))
        }  # run as a person would, not as a test
        env.update(CLINIC_TIMEZONE=TIMEZONE, PYTHONUNBUFFERED='1', **self.extra_env)
        log = self.log_path.open('a')
        RUNNING.append(self)
        self.process = subprocess.Popen(
            [sys.executable, 'main.py', '--demo', '--port', str(self.port), '--data-dir', str(self.data_dir)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f'the app exited early; see {self.log_path}')
            try:
                if httpx.get(f'{self.url}/healthz', timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)  # waiting for a process to come up, not for app behaviour
        raise RuntimeError(f'the app did not answer within 30 s; see {self.log_path}')

    def stop(self) -> None:
        if self in RUNNING:
            RUNNING.remove(self)
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """End the process the hard way (SIGKILL), as a crash or an out-of-memory kill would."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def health(self) -> dict:
        return httpx.get(f'{self.url}/healthz', timeout=2).json()

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope='session')
def chromium() -> Iterator[Browser]:
    path = os.environ.get('CHROMIUM_PATH') or shutil.which('chromium') or '/usr/bin/chromium'
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def app(tmp_path, request) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log')
    server.log_path.unlink(missing_ok=True)
    server.start()
    yield server
    server.stop()
    if not getattr(request.node, 'failed', False):
        server.log_path.unlink(missing_ok=True)


def signed_in_page(chromium: Browser, app: App, email: str, password: str = 'demo1234') -> Page:
    """A new browser context (own cookies) signed in through the login page of `app`."""
    page = chromium.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB').new_page()
    page.goto(f'{app.url}/login')
    page.get_by_test_id('login-email').fill(email)
    page.get_by_test_id('login-password').fill(password)
    page.get_by_test_id('login-submit').click()
    page.wait_for_url(lambda url: '/login' not in url)
    return page


@pytest.fixture
def person(chromium, app, request) -> Iterator[Callable[[str], Page]]:
    """Sign someone in, in their own browser context (own cookies); failures keep a screenshot of every page."""
    pages: list[tuple[str, Page]] = []

    def sign_in(email: str, password: str = 'demo1234') -> Page:
        page = signed_in_page(chromium, app, email, password)
        pages.append((email, page))
        return page

    yield sign_in
    if getattr(request.node, 'failed', False):
        for index, (email, page) in enumerate(pages):
            page.screenshot(path=str(RESULTS / f'{request.node.name}-{index}-{email.split("@")[0]}.png'))
    for _, page in pages:
        page.context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == 'call' and report.failed:
        item.failed = True
        for server in RUNNING:  # what the app said while the test failed (CI shows only pytest's own output)
            report.sections.append((f'end of {server.log_path.name}', _tail(server.log_path, 40)))
        console = getattr(item, 'browser_console', None)
        if console:
            report.sections.append(('browser console', '\n'.join(console[-40:])))


def _tail(path: Path, lines: int) -> str:
    try:
        return '\n'.join(path.read_text(errors='replace').splitlines()[-lines:])
    except OSError as error:
        return f'(unreadable: {error})'


def pytest_terminal_summary(terminalreporter) -> None:
    if not LATENCIES:
        return
    terminalreporter.section('live update latency (doctor click -> change visible in another browser)')
    for name, seconds in LATENCIES:
        terminalreporter.write_line(f'{name:<60} {seconds * 1000:8.0f} ms')


def record_latency(name: str, seconds: float) -> None:
    LATENCIES.append((name, seconds))


def next_working_day() -> date:
    """The next Monday to Friday after today in the clinic's zone (never today, whose slots may have passed)."""
    day = datetime.now(ZoneInfo(TIMEZONE)).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


UPDATED = 'Schedule updated: available time slots have been refreshed.'


def show_day(page: Page, day: date, doctor: str | None = None) -> None:
    """On /book, choose a doctor (by the name shown) and type the day; wait until its times are listed."""
    if doctor is not None:
        page.get_by_test_id('book-doctor').click()
        page.get_by_role('option', name=doctor).click()
        expect(page.get_by_text(f'Free times with {doctor}')).to_be_visible()
    page.get_by_test_id('book-date').fill(day.isoformat())
    expect(page.get_by_text(f'{day:%B %Y}')).to_be_visible()
    expect(page.get_by_test_id('slot').first).to_be_visible()


def fill_period(page: Page, day: date, start: str, end: str, reason: str = 'Conference') -> None:
    page.get_by_test_id('unavailability-start').fill(f'{day} {start}')
    page.get_by_test_id('unavailability-end').fill(f'{day} {end}')
    page.get_by_test_id('unavailability-reason').fill(reason)


def slot_texts(page: Page) -> list[str]:
    return page.get_by_test_id('slot').all_inner_texts()


class Stopwatch:
    """Time from an action in one browser to the change being seen in another, printed at the end of the run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.started = time.monotonic()

    def stop(self) -> None:
        record_latency(self.name, time.monotonic() - self.started)


def listen_to_feed(url: str, lists: 'queue.Queue[list[str]]', stop: threading.Event, token: str | None = None) -> None:
    """Read the live feed of free times as a website's EventSource would, putting each list of the first kind's free
    times (labels) on `lists` (with a token, as another system would)."""
    headers = {'Authorization': f'Bearer {token}'} if token else {}
    with httpx.stream('GET', url, headers=headers, timeout=httpx.Timeout(10, read=30)) as response:
        assert response.status_code == 200
        assert response.headers['content-type'].startswith('text/event-stream')
        if token is None:
            assert response.headers['access-control-allow-origin'] == '*'  # public: any website may show it
        event = ''
        for line in response.iter_lines():
            if stop.is_set():
                return
            if line.startswith('event:'):
                event = line.split(':', 1)[1].strip()
            elif line.startswith('data:') and event == 'slots':
                day = json.loads(line.split(':', 1)[1])
                lists.put([slot['label'] for slot in day['types'][0]['slots']])
