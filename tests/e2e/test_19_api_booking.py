"""Scenario 19: another system books through the API against the real app process. The front desk has registered a
webhook in Chromium and James has made a token on /profile; a booking by POST /api/v1/appointments takes the time
off Maria's open booking page within a second, a receiver on 127.0.0.1 gets the signed event and checks the
signature, and a listener on the live feed gets the new list without the time."""

import queue
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from services.webhook_sender import SIGNATURE_HEADER, signature_holds
from tests.e2e.conftest import RESULTS, App, Stopwatch, listen_to_feed, next_working_day, show_day
from tests.webhook_receiver import Receiver


@pytest.fixture
def app(tmp_path, request) -> Iterator[App]:
    """The app as shipped, allowed to post webhooks to 127.0.0.1 (where the test's receiver listens)."""
    RESULTS.mkdir(exist_ok=True)
    env = {'CLINIC_WEBHOOK_PRIVATE_ADDRESSES': 'true'}
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', env)
    server.start()
    yield server
    server.stop()


def test_a_booking_through_the_api_reaches_the_page_the_webhook_and_the_feed(person, app):
    day = next_working_day()
    with Receiver() as receiver:
        admin = person('admin@clinic.example')
        admin.goto(f'{app.url}/admin')
        admin.get_by_text('Webhooks', exact=True).click()
        admin.get_by_test_id('webhook-url').fill(receiver.url)
        admin.get_by_test_id('webhook-add').click()
        expect(admin.get_by_test_id('webhook-row')).to_contain_text(receiver.url)
        secret = admin.get_by_test_id('webhook-secret').input_value()
        assert secret.startswith('whsec_')

        james = person('james.lee@mail.example')
        james.goto(f'{app.url}/profile')
        james.get_by_test_id('token-name').fill('Patient app')
        james.get_by_test_id('token-create').click()
        expect(james.get_by_test_id('token-value')).to_be_visible()
        token = james.get_by_test_id('token-value').input_value()
        assert token.startswith('clinic_')

        maria = person('maria.lopez@mail.example')
        maria.goto(f'{app.url}/book')
        show_day(maria, day)
        expect(maria.get_by_test_id('slot').filter(has_text='10:00')).to_have_count(1)

        lists: queue.Queue = queue.Queue()
        stop = threading.Event()
        feed = f'{app.url}/api/v1/doctors/1/slots/stream?day={day}'
        threading.Thread(target=listen_to_feed, args=(feed, lists, stop, token), daemon=True).start()
        assert '10:00' in lists.get(timeout=10)

        watch = Stopwatch('19 POST /api/v1/appointments -> the time leaves an open booking page')
        started = time.monotonic()
        answer = httpx.post(
            f'{app.url}/api/v1/appointments',
            json={'doctor_id': 1, 'starts_at': f'{day}T10:00:00', 'reason': 'Sore throat'},
            headers={'Authorization': f'Bearer {token}', 'Idempotency-Key': str(uuid.uuid4())},
            timeout=10,
        )
        assert answer.status_code == 201, answer.text
        expect(maria.get_by_test_id('slot').filter(has_text='10:00')).to_have_count(0, timeout=5000)
        watch.stop()
        assert time.monotonic() - started < 1.0
        expect(maria.get_by_test_id('slot').filter(has_text='10:30')).to_have_count(1)  # only that time went

        then = lists.get(timeout=5)
        assert '10:00' not in then and '10:30' in then
        stop.set()

        (got,) = receiver.wait_for(1, timeout=10)
        assert signature_holds(secret, got.headers[SIGNATURE_HEADER], got.body, now=time.time())
        assert not signature_holds(
            secret, got.headers[SIGNATURE_HEADER], got.body.replace(b'"booked"', b'"cancelled"'), now=time.time()
        )
        event = got.json
        assert event['type'] == 'appointment.booked'
        assert event['data']['appointment_id'] == answer.json()['id']
        assert event['data']['patient_id'] == answer.json()['patient_id']
        assert event['data']['starts_at'] == answer.json()['starts_at'].replace('Z', '+00:00')
        assert 'Sore throat' not in got.body.decode()  # the endpoint is not trusted with reasons

        admin.get_by_test_id('webhook-refresh').click()
        expect(admin.get_by_test_id('webhook-delivery-status').first).to_have_text('Delivered')
