"""Scenario 18: the API's live feed of free times (server-sent events) against the real app process: a listener
gets the day's free times at once, and the new list within a second of a doctor blocking time in Chromium."""

import queue
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import RESULTS, App, Stopwatch, fill_period, listen_to_feed, next_working_day


@pytest.fixture
def app(tmp_path, request) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(
        tmp_path / 'data',
        RESULTS / f'{request.node.name}.app.log',
        {'CLINIC_PUBLIC_SLOT_FEED': 'true', 'CLINIC_SLOT_FEED_PER_ADDRESS': '3'},
    )
    server.start()
    yield server
    server.stop()


def test_the_feed_sends_the_day_at_once_and_each_new_list_live(person, app):
    day = next_working_day()
    lists: queue.Queue = queue.Queue()
    stop = threading.Event()
    reader = threading.Thread(
        target=listen_to_feed, args=(f'{app.url}/api/v1/doctors/1/slots/stream?day={day}', lists, stop), daemon=True
    )
    reader.start()
    first = lists.get(timeout=10)
    assert first[0] == '09:00' and '10:00' in first

    alice = person('alice.smith@clinic.example')
    fill_period(alice, day, '09:00', '10:00')
    watch = Stopwatch('18 doctor blocks 09:00-10:00 -> the SSE feed sends the new list')
    started = time.monotonic()
    alice.get_by_test_id('unavailability-submit').click()
    then = lists.get(timeout=5)
    watch.stop()
    assert time.monotonic() - started < 1.0
    assert then[0] == '10:00' and '09:00' not in then and '09:30' not in then
    stop.set()


def test_one_address_holds_at_most_its_share_of_feeds_and_gets_room_when_one_closes(app):
    url = f'{app.url}/api/v1/doctors/1/slots/stream?day={next_working_day()}'
    with httpx.Client(timeout=httpx.Timeout(10, read=30)) as client:
        streams = [client.stream('GET', url) for _ in range(3)]
        assert [stream.__enter__().status_code for stream in streams] == [200, 200, 200]
        refused = client.get(url)  # a refusal answers at once (an admitted feed would stream on)
        assert refused.status_code == 429 and refused.json()['error']['code'] == 'too_many_listeners'
        streams.pop(0).__exit__(None, None, None)  # one listener goes: its place is free again
        deadline = time.monotonic() + 10
        while True:
            with client.stream('GET', url) as response:
                if response.status_code == 200:
                    break
            assert time.monotonic() < deadline, 'the closed feed never made room'
            time.sleep(0.1)
        for stream in streams:
            stream.__exit__(None, None, None)
