"""Webhooks: a change writes its deliveries in its own transaction, the sender posts them signed to a real HTTP
server on 127.0.0.1, retries with growing pauses, gives up after a day, and the front desk sees and resends them."""

import json
import time
from datetime import UTC

import pytest
from sqlmodel import select

from models import Appointment, DeliveryStatus, WebhookDelivery
from services.availability import mark_unavailable
from services.booking import book, cancel, reschedule
from services.closures import close_clinic
from services.errors import InvalidInput, NotAllowed, NotFound, SlotTaken
from services.time_rules import complete_finished_appointments
from services.webhook_sender import (
    ATTEMPTS,
    RETRY_AFTER,
    SIGNATURE_HEADER,
    resume_interrupted_webhooks,
    send_due_webhooks,
    sign,
    signature_holds,
)
from services.webhooks import EVENTS, add_endpoint, remove_endpoint, resend, webhooks_view
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, create_patient, days, local, make_clinic
from tests.webhook_receiver import Receiver


@pytest.fixture
def clinic(tmp_path, database_url):
    """A clinic that may post to 127.0.0.1, where the test's receivers listen."""
    clinic = make_clinic(tmp_path, database_url=database_url, webhook_private_addresses=True)
    yield clinic
    clinic.db.dispose()


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def register(clinic, url, events=tuple(EVENTS), trusted=False):
    return add_endpoint(clinic, actor_id=admin_id(clinic), url=url, events=list(events), trusted=trusted)


def deliveries(clinic):
    with clinic.db.reading() as session:
        return session.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def test_a_booking_is_posted_signed_with_ids_and_times_and_no_reason(clinic, receiver):
    _, secret = register(clinic, receiver.url)
    doctor, maria = create_doctor(clinic), create_patient(clinic, 'Maria Lopez')
    info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), reason='Back pain')
    assert send_due_webhooks(clinic) == 1
    (got,) = receiver.wait_for(1)
    assert got.path == '/hooks'
    assert got.headers['Content-Type'] == 'application/json'
    assert got.headers['Clinic-Event'] == 'appointment.booked'
    assert signature_holds(secret, got.headers[SIGNATURE_HEADER], got.body, now=clinic.now().timestamp())
    assert not signature_holds(secret, got.headers[SIGNATURE_HEADER], got.body, now=time.time() + 3600 * 24 * 400)
    body = got.json
    assert body['type'] == 'appointment.booked' and body['id'] == got.headers['Clinic-Event-Id']
    assert body['data'] == {
        'appointment_id': info.id,
        'doctor_id': doctor.id,
        'patient_id': maria.id,
        'type_id': body['data']['type_id'],
        'starts_at': '2026-11-30T08:00:00+00:00',  # 09:00 in Berlin
        'ends_at': '2026-11-30T08:30:00+00:00',
        'status': 'booked',
    }
    assert 'Back pain' not in got.body.decode() and 'Maria' not in got.body.decode()
    (row,) = deliveries(clinic)
    assert row.status is DeliveryStatus.delivered and row.response_status == 200 and row.attempts == 1
    assert send_due_webhooks(clinic) == 0  # nothing twice


def test_a_trusted_endpoint_gets_the_reasons_and_each_endpoint_only_its_events(clinic, receiver):
    with Receiver() as cancellations:
        _, trusted_secret = register(clinic, receiver.url, trusted=True)
        _, secret = register(clinic, cancellations.url, events=['appointment.cancelled'])
        doctor, maria = create_doctor(clinic), create_patient(clinic)
        info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), reason='Rash')
        cancel(clinic, actor_id=doctor.user_id, appointment_id=info.id, reason="Cancelled at the patient's request.")
        assert send_due_webhooks(clinic) == 3
        booked, cancelled = receiver.wait_for(2)
        assert booked.json['data']['reason'] == 'Rash'
        assert cancelled.json['data']['cancel_reason'] == "Cancelled at the patient's request."
        assert cancelled.json['data']['status'] == 'cancelled'
        (only,) = cancellations.wait_for(1)
        assert only.json['type'] == 'appointment.cancelled'
        assert only.json['id'] == cancelled.json['id']  # one event, the same id at every endpoint
        assert 'reason' not in only.json['data'] and 'request' not in only.body.decode()
        assert signature_holds(secret, only.headers[SIGNATURE_HEADER], only.body, now=clinic.now().timestamp())
        assert not signature_holds(  # each endpoint has its own secret
            trusted_secret, only.headers[SIGNATURE_HEADER], only.body, now=clinic.now().timestamp()
        )


def test_a_move_names_the_time_it_left_and_the_job_completing_visits_announces_them(clinic, receiver):
    register(clinic, receiver.url)
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    reschedule(clinic, actor_id=maria.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 10))
    clinic.clock.advance(days(6))
    assert complete_finished_appointments(clinic) == 1
    send_due_webhooks(clinic)
    booked, moved, completed = (r.json for r in receiver.wait_for(3))
    assert moved['type'] == 'appointment.moved'
    assert moved['data']['previous']['starts_at'] == booked['data']['starts_at']
    assert moved['data']['starts_at'] == local(NEXT_MONDAY, 10).astimezone(UTC).isoformat()
    assert completed['type'] == 'appointment.completed' and completed['data']['status'] == 'completed'


def test_blocked_time_and_a_closure_announce_availability_with_the_doctors_they_cover(clinic, receiver):
    register(clinic, receiver.url, events=['availability.changed'])
    alice, bob = create_doctor(clinic, 'Dr. Alice'), create_doctor(clinic, 'Dr. Bob')
    mark_unavailable(
        clinic,
        actor_id=alice.user_id,
        doctor_id=alice.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 10),
        note='Dentist',
    )
    close_clinic(
        clinic,
        actor_id=admin_id(clinic),
        name='New Year',
        starts_at=local(NEXT_MONDAY + days(31), 0),
        ends_at=local(NEXT_MONDAY + days(32), 0),
    )
    send_due_webhooks(clinic)
    period, closure = (r.json for r in receiver.wait_for(2))
    assert period['type'] == closure['type'] == 'availability.changed'
    assert period['data']['doctor_ids'] == [alice.id] and period['data']['change'] == 'period.added'
    assert period['data']['starts_at'] == local(NEXT_MONDAY, 9).astimezone(UTC).isoformat()
    assert 'note' not in period['data'] and 'Dentist' not in json.dumps(period)
    assert closure['data']['doctor_ids'] == sorted([alice.id, bob.id])
    assert closure['data']['change'] == 'closure.added' and closure['data']['name'] == 'New Year'


def test_a_refused_change_writes_no_delivery(clinic, receiver):
    register(clinic, receiver.url)
    doctor, maria, james = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    with pytest.raises(SlotTaken):
        book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    assert [row.event for row in deliveries(clinic)] == ['appointment.booked']


def test_a_failing_endpoint_is_tried_again_with_growing_pauses_then_given_up(clinic):
    with Receiver(500, 503) as flaky, Receiver(*[500] * ATTEMPTS) as broken:
        register(clinic, flaky.url)
        register(clinic, broken.url)
        doctor, maria = create_doctor(clinic), create_patient(clinic)
        book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
        assert send_due_webhooks(clinic) == 0
        first, _ = deliveries(clinic)
        assert first.status is DeliveryStatus.pending and first.response_status == 500
        assert first.response_excerpt == 'answered 500' and first.last_error == 'Answered HTTP 500'
        assert first.next_attempt_at == clinic.now() + RETRY_AFTER[0]
        assert send_due_webhooks(clinic) == 0  # not before its time
        clinic.clock.advance(RETRY_AFTER[0])
        assert send_due_webhooks(clinic) == 0  # 503
        clinic.clock.advance(RETRY_AFTER[1])
        assert send_due_webhooks(clinic) == 1
        for pause in RETRY_AFTER[2:]:
            clinic.clock.advance(pause)
            send_due_webhooks(clinic)
        flaky_row, broken_row = deliveries(clinic)
        assert flaky_row.status is DeliveryStatus.delivered and flaky_row.attempts == 3
        assert broken_row.status is DeliveryStatus.failed and broken_row.attempts == ATTEMPTS
        assert len(broken.received) == ATTEMPTS
        assert sum(RETRY_AFTER, start=RETRY_AFTER[0] * 0).total_seconds() > 22 * 3600  # almost a day of trying


def test_an_unreachable_endpoint_does_not_hold_up_the_others(clinic, receiver):
    with Receiver() as gone:
        dead_url = gone.url
    register(clinic, dead_url)
    register(clinic, receiver.url)
    doctor = create_doctor(clinic)
    for hour in (9, 10, 11):
        book(clinic, actor_id=create_patient(clinic).id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, hour))
    assert send_due_webhooks(clinic) == 3
    assert len(receiver.wait_for(3)) == 3
    dead = [row for row in deliveries(clinic) if row.status is not DeliveryStatus.delivered]
    assert [row.attempts for row in dead] == [1, 0, 0]  # one try per round, the rest wait with it
    assert dead[0].last_error.startswith('No connection')


def test_the_front_desk_sees_deliveries_and_resends_one_with_the_same_event_id(clinic, receiver):
    register(clinic, receiver.url)
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    send_due_webhooks(clinic)
    view = webhooks_view(clinic, actor_id=admin_id(clinic))
    assert [e.url for e in view.endpoints] == [receiver.url]
    (line,) = view.deliveries
    assert line.status is DeliveryStatus.delivered and line.response_status == 200 and line.can_resend
    resend(clinic, actor_id=admin_id(clinic), delivery_id=line.id)
    send_due_webhooks(clinic)
    first, again = receiver.wait_for(2)
    assert first.body == again.body and first.headers['Clinic-Event-Id'] == again.headers['Clinic-Event-Id']
    newest = webhooks_view(clinic, actor_id=admin_id(clinic)).deliveries[0]
    assert newest.id != line.id and newest.status is DeliveryStatus.delivered


def test_a_removed_endpoint_gets_nothing_more_and_its_waiting_deliveries_are_given_up(clinic, receiver):
    endpoint, _ = register(clinic, receiver.url)
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    remove_endpoint(clinic, actor_id=admin_id(clinic), endpoint_id=endpoint.id)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), second_that_day=True)
    assert send_due_webhooks(clinic) == 0
    assert receiver.received == []
    (row,) = deliveries(clinic)
    assert row.status is DeliveryStatus.failed and row.last_error == 'The endpoint was removed.'
    assert webhooks_view(clinic, actor_id=admin_id(clinic)).endpoints == ()
    with pytest.raises(InvalidInput):
        resend(clinic, actor_id=admin_id(clinic), delivery_id=row.id)
    with pytest.raises(NotFound):
        remove_endpoint(clinic, actor_id=admin_id(clinic), endpoint_id=endpoint.id)


def test_a_delivery_left_sending_by_a_dead_process_is_posted_again(clinic, receiver):
    register(clinic, receiver.url)
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    with clinic.db.writing() as session:
        (row,) = session.exec(select(WebhookDelivery)).all()
        row.status, row.attempts = DeliveryStatus.sending, 1
        session.add(row)
    assert send_due_webhooks(clinic) == 0  # a delivery under way is not taken twice
    assert resume_interrupted_webhooks(clinic) == 1
    assert send_due_webhooks(clinic) == 1
    assert len(receiver.wait_for(1)) == 1


@pytest.mark.parametrize('who', ['patient', 'doctor'])
def test_only_the_front_desk_manages_webhooks(clinic, receiver, who):
    endpoint, _ = register(clinic, receiver.url)
    actor = create_patient(clinic).id if who == 'patient' else create_doctor(clinic).user_id
    with pytest.raises(NotAllowed):
        add_endpoint(clinic, actor_id=actor, url=receiver.url, events=['appointment.booked'])
    with pytest.raises(NotAllowed):
        remove_endpoint(clinic, actor_id=actor, endpoint_id=endpoint.id)
    with pytest.raises(NotAllowed):
        webhooks_view(clinic, actor_id=actor)
    assert [e.id for e in webhooks_view(clinic, actor_id=admin_id(clinic)).endpoints] == [endpoint.id]


@pytest.mark.parametrize(
    ('url', 'events', 'field'),
    [
        ('', ['appointment.booked'], 'webhook_url'),
        ('ftp://example.org/hooks', ['appointment.booked'], 'webhook_url'),
        ('https://', ['appointment.booked'], 'webhook_url'),
        ('https://user:pw@example.org/hooks', ['appointment.booked'], 'webhook_url'),
        ('https://example.org/a b', ['appointment.booked'], 'webhook_url'),
        ('https://example.org:99999/hooks', ['appointment.booked'], 'webhook_url'),
        ('https://example.org/' + 'x' * 500, ['appointment.booked'], 'webhook_url'),
        ('https://example.org/hooks', [], 'webhook_events'),
        ('https://example.org/hooks', ['appointment.eaten'], 'webhook_events'),
    ],
)
def test_a_bad_endpoint_is_refused_with_the_field_to_fix(clinic, url, events, field):
    with pytest.raises(InvalidInput) as refused:
        add_endpoint(clinic, actor_id=admin_id(clinic), url=url, events=events)
    assert refused.value.field == field
    assert webhooks_view(clinic, actor_id=admin_id(clinic)).endpoints == ()


def test_the_signature_fails_for_a_changed_body_a_wrong_secret_or_an_old_time():
    body = '{"id": "1"}'
    header = sign('whsec_a', 1_700_000_000, body)
    assert signature_holds('whsec_a', header, body, now=1_700_000_100)
    assert not signature_holds('whsec_a', header, body.replace('1', '2'), now=1_700_000_100)
    assert not signature_holds('whsec_b', header, body, now=1_700_000_100)
    assert not signature_holds('whsec_a', header, body, now=1_700_000_000 + 301)
    assert not signature_holds('whsec_a', 'v1=abc', body, now=1_700_000_000)
    assert not signature_holds('whsec_a', 't=soon,v1=abc', body, now=1_700_000_000)


def test_no_endpoint_means_no_delivery_rows(clinic):
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    assert deliveries(clinic) == []
    with clinic.db.reading() as session:
        assert len(session.exec(select(Appointment)).all()) == 1


@pytest.mark.parametrize(
    'url',
    [
        'http://127.0.0.1:8080/hooks',
        'http://localhost/hooks',
        'https://10.1.2.3/hooks',
        'http://192.168.0.10/hooks',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/hooks',
        'http://0.0.0.0/hooks',
    ],
)
def test_an_address_inside_the_clinics_own_network_is_refused_unless_allowed(tmp_path, database_url, url):
    clinic = make_clinic(tmp_path, database_url=database_url)
    try:
        with pytest.raises(InvalidInput, match="leads into the clinic's own network") as refused:
            add_endpoint(clinic, actor_id=admin_id(clinic), url=url, events=['appointment.booked'])
        assert refused.value.field == 'webhook_url'
    finally:
        clinic.db.dispose()


def test_an_endpoint_whose_address_now_leads_inside_is_not_posted_to(clinic, receiver):
    register(clinic, receiver.url)
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    clinic.settings.webhook_private_addresses = False  # as if its name had moved to 127.0.0.1 since it was added
    assert send_due_webhooks(clinic) == 0
    assert receiver.received == []
    (row,) = deliveries(clinic)
    assert row.status is DeliveryStatus.pending and "clinic's own network" in row.last_error
