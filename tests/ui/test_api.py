"""The REST API over HTTP (httpx against the real app, the User fixture's client): a token made on /profile books
through the API and an open booking page loses the time live; errors are JSON with stable codes; read-only and
revoked tokens; idempotent retries; 50 patients racing for one time get exactly one 201."""

import asyncio
from datetime import timedelta

from nicegui import app

from models import TokenScope
from services.api_tokens import create_token
from tests.factories import create_patients
from tests.ui.conftest import WAIT, element, next_monday, open_day, open_page, sign_in, slot_labels
from tests.waiting import until

API = '/api/v1'


def bearer(token: str) -> dict[str, str]:
    return {'Authorization': f'Bearer {token}'}


async def token_from_profile(user, name: str = 'My app') -> str:
    await open_page(user, '/profile', 'token-create')
    user.find(marker='token-name').type(name)
    user.find(marker='token-create').click()
    await user.should_see(marker='token-value', retries=WAIT)
    return str(element(user, 'token-value').value)


async def test_a_token_from_the_profile_books_through_the_api_and_open_pages_lose_the_time_live(browser):
    monday = next_monday()
    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    token = await token_from_profile(maria)
    await maria.should_see(marker='token-row', retries=WAIT)
    api = maria.http_client

    doctors = (await api.get(f'{API}/doctors', headers=bearer(token))).json()
    alice = next(d for d in doctors if d['name'] == 'Dr. Alice Smith')
    day = (
        await api.get(f'{API}/doctors/{alice["id"]}/slots', params={'day': str(monday)}, headers=bearer(token))
    ).json()
    assert '10:00' in [slot['label'] for slot in day['types'][0]['slots']]

    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday)
    assert '10:00' in slot_labels(james)
    answer = await api.post(
        f'{API}/appointments',
        json={'doctor_id': alice['id'], 'starts_at': f'{monday}T10:00:00', 'reason': 'Knee'},
        headers=bearer(token),
    )
    assert answer.status_code == 201, answer.text
    booked = answer.json()
    assert (booked['patient_name'], booked['status'], booked['reason']) == ('Maria Lopez', 'booked', 'Knee')
    await until(lambda: '10:00' not in slot_labels(james))  # the same live update as a booking on the page

    mine = (await api.get(f'{API}/appointments', headers=bearer(token))).json()
    assert [a['id'] for a in mine] == [booked['id']]
    moved = await api.patch(
        f'{API}/appointments/{booked["id"]}', json={'starts_at': f'{monday}T11:00:00+01:00'}, headers=bearer(token)
    )
    assert moved.status_code == 200 and moved.json()['starts_at'].startswith(f'{monday}T10:00:00')  # 11:00 Berlin
    gone = await api.post(f'{API}/appointments/{booked["id"]}/cancel', json={}, headers=bearer(token))
    assert gone.status_code == 200 and gone.json()['status'] == 'cancelled'


async def test_errors_are_json_with_stable_codes_and_the_pages_words(browser):
    monday = next_monday()
    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await sign_in(james, 'james.lee@mail.example')
    token, other = await token_from_profile(maria), await token_from_profile(james)
    api = maria.http_client

    async def code(response) -> tuple[int, str]:
        return response.status_code, response.json()['error']['code']

    assert await code(await api.get(f'{API}/doctors')) == (401, 'unauthorized')
    assert await code(await api.get(f'{API}/doctors', headers=bearer('clinic_made-up'))) == (401, 'unauthorized')
    bad = await api.post(f'{API}/appointments', json={'doctor_id': 1, 'starts_at': 'tomorrow'}, headers=bearer(token))
    assert await code(bad) == (422, 'invalid_input') and bad.json()['error']['field'] == 'starts_at'
    past = await api.post(
        f'{API}/appointments', json={'doctor_id': 1, 'starts_at': '2020-01-06T10:00:00'}, headers=bearer(token)
    )
    assert await code(past) == (422, 'invalid_input')
    assert past.json()['error']['message'] == 'This day has passed. Choose today or a later day.'
    assert await code(await api.get(f'{API}/doctors/999/slots?day={monday}', headers=bearer(token))) == (
        404,
        'not_found',
    )
    taken = {'doctor_id': 1, 'starts_at': f'{monday}T10:00:00'}
    first = await api.post(f'{API}/appointments', json=taken, headers=bearer(other))
    assert first.status_code == 201
    assert await code(await api.post(f'{API}/appointments', json=taken, headers=bearer(token))) == (409, 'slot_taken')
    not_hers = await api.post(f'{API}/appointments/{first.json()["id"]}/cancel', json={}, headers=bearer(token))
    assert not_hers.status_code in (403, 404)  # James's appointment: refused, as on the pages

    james_id = first.json()['patient_id']
    _, reader = await asyncio.to_thread(
        create_token, app.state.clinic, actor_id=james_id, name='Reader', scope=TokenScope.read
    )
    assert (await api.get(f'{API}/appointments', headers=bearer(reader))).status_code == 200
    wrote = await api.post(
        f'{API}/appointments', json={'doctor_id': 1, 'starts_at': f'{monday}T11:00:00'}, headers=bearer(reader)
    )
    assert await code(wrote) == (403, 'read_only_token')

    await open_page(maria, '/profile', 'token-revoke')
    maria.find(marker='token-revoke').click()
    await maria.should_see('Revoked', retries=WAIT)
    assert await code(await api.get(f'{API}/doctors', headers=bearer(token))) == (401, 'unauthorized')


async def test_a_retried_booking_with_the_same_idempotency_key_books_once(browser):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    token = await token_from_profile(maria)
    api, body = maria.http_client, {'doctor_id': 1, 'starts_at': f'{monday}T09:00:00'}
    headers = {**bearer(token), 'Idempotency-Key': 'order-42'}
    first = await api.post(f'{API}/appointments', json=body, headers=headers)
    again = await api.post(f'{API}/appointments', json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers['Idempotent-Replayed'] == 'true'
    assert len((await api.get(f'{API}/appointments', headers=bearer(token))).json()) == 1
    other = await api.post(f'{API}/appointments', json={**body, 'starts_at': f'{monday}T09:30:00'}, headers=headers)
    assert (other.status_code, other.json()['error']['code']) == (422, 'idempotency_key_reused')


async def test_fifty_patients_posting_for_one_time_at_once_get_exactly_one_201(browser):
    monday = next_monday() + timedelta(days=7)
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    clinic = app.state.clinic
    patients = await asyncio.to_thread(create_patients, clinic, 50)
    tokens = [(await asyncio.to_thread(create_token, clinic, actor_id=p.id, name='racer'))[1] for p in patients]
    body = {'doctor_id': 1, 'starts_at': f'{monday}T10:00:00'}
    answers = await asyncio.gather(
        *(maria.http_client.post(f'{API}/appointments', json=body, headers=bearer(t)) for t in tokens)
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [201] + [409] * 49, codes
    assert {a.json()['error']['code'] for a in answers if a.status_code == 409} == {'slot_taken'}


async def test_the_api_is_documented_by_openapi(browser):
    maria = browser()
    document = (await maria.http_client.get(f'{API}/openapi.json')).json()
    assert {'/api/v1/doctors', '/api/v1/appointments', '/api/v1/doctors/{doctor_id}/slots'} <= set(document['paths'])
    assert (await maria.http_client.get(f'{API}/docs')).status_code == 200


async def test_free_times_for_a_range_of_days_and_one_kind_of_visit(browser):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    token = await token_from_profile(maria)
    api = maria.http_client
    days = await api.get(
        f'{API}/doctors/1/slots/range',
        params={'from': str(monday), 'until': str(monday + timedelta(days=6))},
        headers=bearer(token),
    )
    assert days.status_code == 200
    week = days.json()
    assert [d['day'] for d in week] == [str(monday + timedelta(days=n)) for n in range(7)]
    assert week[0]['types'][0]['slots'] and week[5]['types'][0]['slots'] == []  # Saturday: not working
    assert week[5]['message']
    kind = week[0]['types'][0]['type_id']
    one = await api.get(f'{API}/doctors/1/slots', params={'day': str(monday), 'type': kind}, headers=bearer(token))
    assert [t['type_id'] for t in one.json()['types']] == [kind]
    too_long = await api.get(
        f'{API}/doctors/1/slots/range',
        params={'from': str(monday), 'until': str(monday + timedelta(days=40))},
        headers=bearer(token),
    )
    assert (too_long.status_code, too_long.json()['error']['field']) == (422, 'until')


async def test_a_doctor_blocks_time_through_the_api_and_is_asked_about_appointments_in_the_way(browser):
    monday = next_monday()
    alice, maria = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    token = await token_from_profile(alice, 'Practice system')
    await sign_in(maria, 'maria.lopez@mail.example')
    maria_token = await token_from_profile(maria)
    api = alice.http_client
    booked = await api.post(
        f'{API}/appointments', json={'doctor_id': 1, 'starts_at': f'{monday}T10:00:00'}, headers=bearer(maria_token)
    )
    assert booked.status_code == 201
    await open_day(maria, monday)
    assert '09:00' in slot_labels(maria)
    period = {'starts_at': f'{monday}T09:00:00', 'ends_at': f'{monday}T11:00:00', 'reason': 'conference'}
    asked = await api.post(f'{API}/doctors/1/periods', json=period, headers=bearer(token))
    assert (asked.status_code, asked.json()['error']['code']) == (409, 'appointments_in_the_way')
    assert str(booked.json()['id']) in asked.json()['error']['message']
    kept = await api.post(f'{API}/doctors/1/periods', json={**period, 'in_the_way': 'keep'}, headers=bearer(token))
    assert kept.status_code == 201
    await until(lambda: '09:00' not in slot_labels(maria))  # Maria's open page, live
    listed = (await api.get(f'{API}/doctors/1/periods', headers=bearer(token))).json()
    assert [p['id'] for p in listed] == [kept.json()['id']]
    assert (await api.get(f'{API}/doctors/2/periods', headers=bearer(token))).status_code == 403  # not hers
    assert (await api.delete(f'{API}/periods/{kept.json()["id"]}', headers=bearer(maria_token))).status_code == 403
    assert (await api.delete(f'{API}/periods/{kept.json()["id"]}', headers=bearer(token))).status_code == 200
    await until(lambda: '09:00' in slot_labels(maria))


BAD_BOOKINGS = [
    ({'starts_at': '{monday}T10:00:00'}, 422, 'doctor_id'),
    ({'doctor_id': 'abc', 'starts_at': '{monday}T10:00:00'}, 422, 'doctor_id'),
    ({'doctor_id': 1, 'starts_at': 'tomorrow at ten'}, 422, 'starts_at'),
    ({'doctor_id': 1, 'starts_at': '{monday}T10:00:00', 'reason': 'x' * 600}, 422, 'reason'),
    ({'doctor_id': 1, 'starts_at': '{monday}T10:00:00', 'type_id': 999}, 422, 'type'),
    ({'doctor_id': 1, 'starts_at': '{monday}T10:07:00'}, 409, 'slot'),  # not a start on the doctor's grid
    ({'doctor_id': 999, 'starts_at': '{monday}T10:00:00'}, 404, 'doctor'),
]


async def test_bad_input_is_refused_with_the_field_and_books_nothing(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    token = await token_from_profile(maria)
    api = maria.http_client
    monday = next_monday()
    for template, status, field in BAD_BOOKINGS:
        body = {
            key: value.format(monday=monday) if isinstance(value, str) else value for key, value in template.items()
        }
        answer = await api.post(f'{API}/appointments', json=body, headers=bearer(token))
        assert (answer.status_code, answer.json()['error']['field']) == (status, field), (body, answer.text)
        assert answer.json()['error']['message']
    not_json = await api.post(
        f'{API}/appointments', content=b'{not json', headers={**bearer(token), 'Content-Type': 'application/json'}
    )
    assert (not_json.status_code, not_json.json()['error']['code']) == (422, 'invalid_input')
    no_day = await api.get(f'{API}/doctors/1/slots', params={'day': '2026-13-01'}, headers=bearer(token))
    assert (no_day.status_code, no_day.json()['error']['field']) == (422, 'day')
    assert (await api.get(f'{API}/appointments', headers=bearer(token))).json() == []


async def test_the_live_feed_needs_a_token_unless_the_clinic_makes_it_public(browser):
    maria = browser()
    monday = next_monday()
    answer = await maria.http_client.get(f'{API}/doctors/1/slots/stream', params={'day': str(monday)})
    assert (answer.status_code, answer.json()['error']['code']) == (401, 'unauthorized')
    unknown = await maria.http_client.get(
        f'{API}/doctors/999/slots/stream', params={'day': str(monday)}, headers=bearer('clinic_made-up')
    )
    assert unknown.status_code == 401


async def test_the_desk_filters_appointments_by_doctor_days_status_and_patient_and_others_see_their_own(browser):
    monday = next_monday()
    maria, james, admin = browser(), browser(), browser()
    tokens = {}
    for user, email in ((maria, 'maria.lopez@mail.example'), (james, 'james.lee@mail.example')):
        await sign_in(user, email)
        tokens[email] = await token_from_profile(user)
    api = maria.http_client
    for email, doctor, hour in (('maria.lopez@mail.example', 1, 9), ('james.lee@mail.example', 2, 10)):
        booked = await api.post(
            f'{API}/appointments',
            json={'doctor_id': doctor, 'starts_at': f'{monday}T{hour:02}:00:00'},
            headers=bearer(tokens[email]),
        )
        assert booked.status_code == 201, booked.text
    await sign_in(admin, 'admin@clinic.example')
    desk = bearer(await token_from_profile(admin))

    async def names(headers, **query) -> list[str]:
        answer = await api.get(f'{API}/appointments', params=query, headers=headers)
        assert answer.status_code == 200, answer.text
        return [a['patient_name'] for a in answer.json()]

    assert await names(desk, **{'from': f'{monday}', 'doctor_id': 2}) == ['James Lee']
    assert await names(desk, patient='lopez', **{'from': f'{monday}', 'until': f'{monday}'}) == ['Maria Lopez']
    assert await names(desk, status='cancelled', **{'from': f'{monday}'}) == []
    assert await names(desk, **{'from': f'{monday + timedelta(days=1)}'}) == []
    assert sorted(await names(desk)) == ['James Lee', 'Maria Lopez']
    assert await names(bearer(tokens['maria.lopez@mail.example'])) == ['Maria Lopez']  # only her own
    assert await names(bearer(tokens['maria.lopez@mail.example']), doctor_id=2) == []
    refused = await api.get(
        f'{API}/appointments', params={'patient': 'lee'}, headers=bearer(tokens['maria.lopez@mail.example'])
    )
    assert (refused.status_code, refused.json()['error']['code']) == (403, 'not_allowed')
    bad = await api.get(
        f'{API}/appointments', params={'from': f'{monday}', 'until': f'{monday - timedelta(days=1)}'}, headers=desk
    )
    assert (bad.status_code, bad.json()['error']['field']) == (422, 'until')
