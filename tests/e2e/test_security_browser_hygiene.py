"""Finding 10 through the real app: its pages work under the Content-Security-Policy, cookies are Secure behind
HTTPS, the example and short secrets are refused at start, and its files are the app user's alone."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, App, next_working_day, show_day, signed_in_page

CSP_WATCH = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective));
"""


def test_every_page_works_under_the_content_security_policy(chromium, app):
    context = chromium.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB')
    context.add_init_script(CSP_WATCH)
    refused: list[str] = []
    context.on('console', lambda message: refused.append(message.text) if 'Content Security' in message.text else None)
    page = context.new_page()

    _sign_in(page, app, 'maria.lopez@mail.example')
    show_day(page, next_working_day(), 'Dr. Alice Smith')  # the date picker, the slot grid, live updates
    page.get_by_test_id('slot').filter(has_text='10:00').click()
    page.get_by_test_id('book-submit').click()
    expect(page.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()
    _no_violations(page, refused)
    page.goto(f'{app.url}/appointments')
    page.get_by_test_id('appointment-cancel').click()
    expect(page.get_by_test_id('confirm-accept')).to_be_visible()
    _no_violations(page, refused)  # the question dialog too
    page.get_by_test_id('confirm-accept').click()
    expect(page.get_by_test_id('appointment-status')).to_have_text('Cancelled')
    _no_violations(page, refused)
    page.get_by_role('button', name='Sign out').click()
    expect(page.get_by_test_id('login-submit')).to_be_visible()

    _sign_in(page, app, 'admin@clinic.example')
    page.get_by_text('Add a doctor').click()
    expect(page.get_by_test_id('doctor-submit')).to_be_visible()
    _no_violations(page, refused)
    page.get_by_test_id('doctor-row').first.get_by_test_id('doctor-schedule').click()
    expect(page.get_by_test_id('unavailability-submit')).to_be_visible()
    _no_violations(page, refused)
    headers = httpx.get(f'{app.url}/login').headers
    assert "frame-ancestors 'none'" in headers['content-security-policy'] and headers['x-frame-options'] == 'DENY'
    context.close()


def test_the_cookie_is_secure_behind_an_https_proxy_on_the_same_machine_and_plain_http_still_works(app):
    behind_tls = httpx.get(f'{app.url}/login', headers={'X-Forwarded-Proto': 'https'})
    assert 'secure' in _attributes(behind_tls.headers['set-cookie'])
    plain = httpx.get(f'{app.url}/login')  # e.g. a developer's machine: the cookie must still come back
    assert 'secure' not in _attributes(plain.headers['set-cookie'])


def test_secure_cookies_can_be_required_for_every_answer(tmp_path, request):
    server = App(tmp_path / 'data', tmp_path / 'app.log', env={'CLINIC_SECURE_COOKIES': 'true'})
    server.start()
    request.addfinalizer(server.stop)
    assert 'secure' in _attributes(httpx.get(f'{server.url}/login').headers['set-cookie'])


@pytest.mark.parametrize(
    ('setting', 'value', 'complaint'),
    [
        ('CLINIC_STORAGE_SECRET', 'CHANGE-ME', 'CLINIC_STORAGE_SECRET is the example value CHANGE-ME'),
        ('CLINIC_STORAGE_SECRET', 'x' * 31, 'CLINIC_STORAGE_SECRET has 31 characters; it needs at least 32'),
        ('CLINIC_DATABASE_URL', 'postgresql+psycopg://clinic:CHANGE-ME@127.0.0.1:1/clinic', 'example password'),
    ],
)
def test_the_app_refuses_to_start_with_an_example_or_short_secret(tmp_path, setting, value, complaint):
    started = subprocess.run(
        [sys.executable, 'main.py', '--data-dir', str(tmp_path / 'data')],
        cwd=ROOT,
        env={**_plain_env(), setting: value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert 'The clinic did not start: ' in started.stderr and complaint in started.stderr, started.stderr


@pytest.fixture
def usual_umask():
    """Start processes as a login shell would (022: files readable by all), whatever earlier tests set."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_database_its_wal_the_secret_sessions_and_backups_are_the_app_users_alone(
    usual_umask, chromium, tmp_path, request
):
    app = App(tmp_path / 'data', tmp_path / 'app.log')
    app.start()
    request.addfinalizer(app.stop)
    signed_in_page(chromium, app, 'maria.lopez@mail.example').context.close()  # writes the database and its WAL
    assert stat.S_IMODE(app.data_dir.stat().st_mode) == 0o700
    files = [path for path in app.data_dir.rglob('*') if path.is_file()]
    names = {path.name for path in files}
    assert {'clinic.db', 'clinic.db-wal', 'storage_secret'} <= names, names
    assert {str(path.relative_to(app.data_dir)): _mode(path) for path in files} == {
        str(path.relative_to(app.data_dir)): 0o600 for path in files
    }
    assert all(_mode(path) == 0o700 for path in app.data_dir.rglob('*') if path.is_dir())

    backup = tmp_path / 'backups' / 'clinic-copy.db'
    subprocess.run(
        [sys.executable, 'main.py', 'backup', str(backup), '--data-dir', str(app.data_dir)],
        cwd=ROOT,
        env=_plain_env(),
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert _mode(backup) == 0o600 and _mode(backup.parent) == 0o700


def _sign_in(page, app: App, email: str) -> None:
    page.goto(f'{app.url}/login')
    page.get_by_test_id('login-email').fill(email)
    page.get_by_test_id('login-password').fill('demo1234')
    page.get_by_test_id('login-submit').click()
    page.wait_for_url(lambda url: '/login' not in url)


def _no_violations(page, console: list[str]) -> None:
    assert page.evaluate('window.cspViolations') == [] and console == [], console


def _attributes(set_cookie: str) -> list[str]:
    return [part.strip().split('=')[0].lower() for part in set_cookie.split(';')[1:]]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _plain_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST', 'NICEGUI', 'CLINIC_'))}
