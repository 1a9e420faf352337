"""Two app processes on one PostgreSQL database: a change made through one reaches a browser served by the other
within a second; when one process dies, the other keeps serving (still signed in) and takes over the jobs."""

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.databases import POSTGRES_URL
from tests.e2e.conftest import (
    RESULTS,
    UPDATED,
    App,
    Stopwatch,
    fill_period,
    next_working_day,
    show_day,
    signed_in_page,
)

pytestmark = pytest.mark.skipif(POSTGRES_URL is None, reason='CLINIC_TEST_POSTGRES_URL is not set')

REST = ['11:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30']


@pytest.fixture
def two_apps(tmp_path, postgres_databases, request) -> Iterator[tuple[App, App]]:
    url = postgres_databases.new()
    env = {'CLINIC_DATABASE_URL': url, 'CLINIC_STORAGE_SECRET': 'one-secret-for-every-process-of-the-group'}
    RESULTS.mkdir(exist_ok=True)
    apps = [App(tmp_path / name, RESULTS / f'{request.node.name}.{name}.log', env) for name in ('a', 'b')]
    try:
        for app in apps:  # one after the other: the first creates the demo clinic, the second finds it
            app.start()
        yield apps[0], apps[1]
    finally:
        for app in apps:
            app.stop()
        postgres_databases.drop(url)


def test_a_change_crosses_processes_and_the_survivor_takes_over(chromium, two_apps):
    a, b = two_apps
    day = next_working_day()
    assert a.health()['runs_clinic_jobs'] and not b.health()['runs_clinic_jobs']
    assert a.health()['events_from_other_processes'] and b.health()['events_from_other_processes']

    maria = signed_in_page(chromium, a, 'maria.lopez@mail.example')  # a patient served by process A
    show_day(maria, day, 'Dr. Alice Smith')
    alice = signed_in_page(chromium, b, 'alice.smith@clinic.example')  # her doctor, served by process B
    fill_period(alice, day, '09:00', '11:30')
    started = time.monotonic()
    watch = Stopwatch('10 doctor on process B blocks -> patient on process A')
    alice.get_by_test_id('unavailability-submit').click()
    expect(maria.get_by_test_id('slot')).to_have_text(REST, timeout=1000)
    watch.stop()
    assert time.monotonic() - started < 1.0
    expect(maria.get_by_text(UPDATED)).to_be_visible()

    a.kill()  # process A dies: B keeps serving, and takes over the clinic-wide jobs
    deadline = time.monotonic() + 60
    while not b.health()['runs_clinic_jobs']:
        assert time.monotonic() < deadline, 'process B did not take over the jobs within a minute'
        time.sleep(0.2)

    maria.goto(f'{b.url}/book?doctor=1&day={day}')  # the proxy sends her to B: she is still signed in
    expect(maria.get_by_test_id('slot')).to_have_text(REST)
    alice.get_by_test_id('unavailability-row').get_by_test_id('unavailability-remove').click()
    alice.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('slot')).to_have_count(14)
    expect(maria.get_by_text(UPDATED)).to_be_visible()
