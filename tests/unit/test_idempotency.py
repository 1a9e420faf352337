"""Idempotent bookings through the API: the answer is kept in the booking's own transaction, so a request whose
process died right after the booking still answers its retries with that booking, and a key left unanswered (its
process died before booking anything) is taken over by a retry after two minutes."""

import json
from datetime import timedelta

import pytest

from models import TokenScope
from services.api_tokens import create_token
from services.booking import book
from services.errors import SlotTaken
from services.idempotency import ABANDONED_AFTER, Answer, StillWorking, claim_key, remember_in_session
from tests.factories import NEXT_MONDAY, appointments_seen_by, create_doctor, create_patient, local


def token_of(clinic, person) -> int:
    info, _ = create_token(clinic, actor_id=person.id, name='app', scope=TokenScope.write)
    return info.id


def booking_with_key(clinic, patient, doctor, token_id, key, hour=9):
    def keep(session, info):
        remember_in_session(session, token_id=token_id, key=key, answer=Answer(201, json.dumps({'id': info.id})))

    return book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, hour), also=keep)


def test_a_booking_whose_process_died_before_answering_still_answers_its_retry(clinic):
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    token = token_of(clinic, maria)
    assert claim_key(clinic, token_id=token, key='k1', print_='same') is None
    info = booking_with_key(clinic, maria, doctor, token, 'k1')
    # the process dies here, before the API sends its answer: the retry gets the booking, and books nothing more
    again = claim_key(clinic, token_id=token, key='k1', print_='same')
    assert again == Answer(201, json.dumps({'id': info.id}))
    clinic.clock.advance(ABANDONED_AFTER * 10)
    assert claim_key(clinic, token_id=token, key='k1', print_='same') == again
    assert [a.id for a in appointments_seen_by(clinic, maria.id)] == [info.id]


def test_a_refused_booking_keeps_no_answer_with_it(clinic):
    doctor, maria, james = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    token = token_of(clinic, maria)
    assert claim_key(clinic, token_id=token, key='k2', print_='same') is None
    with pytest.raises(SlotTaken):
        booking_with_key(clinic, maria, doctor, token, 'k2')
    with pytest.raises(StillWorking):  # unanswered: the API keeps the refusal next (or the key is let go)
        claim_key(clinic, token_id=token, key='k2', print_='same')


def test_a_key_left_unanswered_by_a_dead_request_is_taken_over_after_two_minutes_by_one_retry(clinic):
    doctor, maria = create_doctor(clinic), create_patient(clinic)
    token = token_of(clinic, maria)
    assert claim_key(clinic, token_id=token, key='k3', print_='same') is None
    # the process died before booking: nothing was written with the key
    clinic.clock.advance(ABANDONED_AFTER - timedelta(seconds=1))
    with pytest.raises(StillWorking):
        claim_key(clinic, token_id=token, key='k3', print_='same')
    clinic.clock.advance(timedelta(seconds=1))
    assert claim_key(clinic, token_id=token, key='k3', print_='same') is None  # this retry does the work
    with pytest.raises(StillWorking):  # and another retry at the same moment waits for it
        claim_key(clinic, token_id=token, key='k3', print_='same')
    info = booking_with_key(clinic, maria, doctor, token, 'k3')
    assert claim_key(clinic, token_id=token, key='k3', print_='same') == Answer(201, json.dumps({'id': info.id}))
