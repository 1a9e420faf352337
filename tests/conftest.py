"""Test-wide ordering: the real-browser tier runs last.

Playwright's sync API keeps its own event loop running for as long as the browser fixture lives, so async tests
(unit and User-fixture tiers) must all have finished before the first browser test starts.
"""


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: 'tests/e2e/' in str(item.fspath))
