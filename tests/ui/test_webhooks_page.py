"""The front desk registers a webhook on /admin and the clinic posts to it as patients book: signed with the secret
shown once, listed with the endpoint's answer, resent on request, and removed after asking."""

import asyncio
import time

import pytest
from nicegui import ElementFilter
from nicegui.testing.user_interaction import UserInteraction

from services.webhook_sender import SIGNATURE_HEADER, signature_holds
from tests.ui.conftest import WAIT, count, element, field_error, next_monday, open_day, open_page, pick, sign_in
from tests.waiting import until
from tests.webhook_receiver import Receiver

MARIA = 'maria.lopez@mail.example'


@pytest.fixture
def receiver(monkeypatch):
    """A receiver on 127.0.0.1, which the clinic may post to in this test only (it refuses its own network)."""
    monkeypatch.setenv('CLINIC_WEBHOOK_PRIVATE_ADDRESSES', 'true')
    with Receiver() as server:
        yield server


async def test_the_desk_adds_an_endpoint_that_gets_each_booking_signed_and_can_resend_and_remove_it(receiver, browser):
    admin, maria = browser(), browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'webhook-add')
    admin.find(marker='webhook-url').type(receiver.url)
    element(admin, 'webhook-events').value = ['appointment.booked', 'appointment.cancelled']
    admin.find(marker='webhook-add').click()
    await until(lambda: element(admin, 'webhook-secret').visible, timeout=WAIT / 10)
    secret = element(admin, 'webhook-secret').value
    assert secret.startswith('whsec_')
    await admin.should_see(receiver.url, retries=WAIT)
    await admin.should_see('Appointment booked, Appointment cancelled', retries=WAIT)

    await sign_in(maria, MARIA)
    await open_day(maria, next_monday())
    pick(maria, '10:00')
    maria.find(marker='book-reason').type('Knee pain')
    maria.find(marker='book-submit').click()
    await until(lambda: len(receiver.received) == 1, timeout=WAIT / 3)  # posted by the running app, unasked
    (got,) = receiver.received
    assert got.json['type'] == 'appointment.booked'
    assert got.json['data']['starts_at'].startswith(f'{next_monday():%Y-%m-%d}T09:00')  # 10:00 in Berlin
    assert 'Knee pain' not in got.body.decode()
    assert signature_holds(secret, got.headers[SIGNATURE_HEADER], got.body, now=time.time())

    await refresh_until_delivered(admin)
    await admin.should_see('HTTP 200', retries=WAIT)
    with admin:
        [again] = admin.find(marker='webhook-resend').elements
    UserInteraction(admin, {again}, None).click()
    await admin.should_see(f'Appointment booked will be sent to {receiver.url} again.', retries=WAIT)
    await until(lambda: len(receiver.received) == 2, timeout=WAIT / 3)
    resent = receiver.received[1]
    assert resent.body == got.body and resent.headers['Clinic-Event-Id'] == got.headers['Clinic-Event-Id']

    admin.find(marker='webhook-remove').click()
    await admin.should_see(marker='confirm-accept', retries=WAIT)
    admin.find(marker='confirm-accept').click()
    await admin.should_see(f'Removed {receiver.url}: nothing more is sent to it.', retries=WAIT)
    await until(lambda: count(admin, 'webhook-row') == 0, timeout=WAIT / 10)


async def refresh_until_delivered(admin) -> None:
    """Press Refresh until the newest delivery reads Delivered, as the desk would (it is recorded just after the
    endpoint answers)."""
    for _ in range(WAIT):
        admin.find(marker='webhook-refresh').click()
        await asyncio.sleep(0.1)
        with admin:
            statuses = [badge.text for badge in ElementFilter(marker='webhook-delivery-status')]
        if statuses and statuses[0] == 'Delivered':
            return
    raise AssertionError(f'the newest delivery never read Delivered: {statuses}')


async def test_a_bad_address_and_no_event_are_named_next_to_their_fields(browser):
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'webhook-add')
    admin.find(marker='webhook-url').type('ftp://example.org/hooks')
    element(admin, 'webhook-events').value = []
    admin.find(marker='webhook-add').click()
    assert await field_error(admin, 'webhook-url') == 'Enter the full address, starting with https:// (or http://).'
    assert await field_error(admin, 'webhook-events') == 'Choose at least one event.'
    assert count(admin, 'webhook-row') == 0
    assert element(admin, 'webhook-url').value == 'ftp://example.org/hooks'  # nothing typed is lost
