"""Test-wide set-up: the real-browser tier runs last, and in-process tests hash passwords cheaply.

Playwright's sync API keeps its own event loop running for as long as the browser fixture lives, so async tests
(unit and User-fixture tiers) must all have finished before the first browser test starts.
"""

import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: 'tests/e2e/' in str(item.fspath))


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch):
    """Argon2 with the smallest cost for in-process tests (the real app process in tests/e2e keeps the real one)."""
    from services import accounts

    cheap = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    monkeypatch.setattr(accounts, '_hasher', cheap)
    monkeypatch.setattr(accounts, '_DUMMY_HASH', cheap.hash('not-a-real-password'))
