"""Test-wide set-up: the real-browser tier runs last, in-process tests hash passwords cheaply, and service tests
run on every database backend under test (see tests/databases.py).

Playwright's sync API keeps its own event loop running for as long as the browser fixture lives, so async tests
(unit and User-fixture tiers) must all have finished before the first browser test starts.
"""

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from tests.databases import BACKENDS


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: 'tests/e2e/' in str(item.fspath))


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Argon2 with the smallest cost for in-process tests (the real app process in tests/e2e keeps the real one)."""
    from services import accounts

    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    monkeypatch.setattr(accounts, '_hasher', cheap)
    monkeypatch.setattr(accounts, '_DUMMY_HASH', cheap.hash('not-a-real-password'))


@pytest.fixture(scope='session')
def postgres_databases():
    from tests.databases import POSTGRES_URL, PostgresDatabases

    if POSTGRES_URL is None:
        pytest.skip('CLINIC_TEST_POSTGRES_URL is not set')
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.close()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh clinic database on each backend under test: SQLite always, PostgreSQL when configured."""
    if request.param == 'sqlite':
        yield f'sqlite:///{tmp_path / "clinic.db"}'
        return
    databases = request.getfixturevalue('postgres_databases')
    url = databases.new()
    yield url
    databases.drop(url)
