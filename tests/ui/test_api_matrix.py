"""Who may do what through the API, over HTTP: every endpoint for anonymous, patient (Maria, whose appointment it is),
other patient, doctor (hers), other doctor, the front desk, a revoked token and a read-only token writing. Each cell is
asserted by its status, and a refused write changes nothing (the caller's view of the appointments is the same)."""

import asyncio

import pytest
from nicegui import app
from sqlmodel import select

from models import Appointment, TokenScope, Unavailability, User
from services.api_tokens import create_token, revoke_token
from services.booking import book
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from tests.factories import create_patients, local
from tests.ui.conftest import next_monday

API = '/api/v1'
PEOPLE = {
    'patient': 'maria.lopez@mail.example',
    'other patient': 'james.lee@mail.example',
    'doctor': 'alice.smith@clinic.example',
    'other doctor': 'bob.jones@clinic.example',
    'admin': 'admin@clinic.example',
}
ROLES = ['anonymous', *PEOPLE, 'revoked token', 'read-only token']
# endpoint -> {role: status}; a role not named gets the endpoint's refusal for tokens that cannot (see `expected`)
ALLOWED = {
    'list doctors': {'patient', 'other patient', 'doctor', 'other doctor', 'admin', 'read-only token'},
    'see free times': {'patient', 'other patient', 'doctor', 'other doctor', 'admin', 'read-only token'},
    'list own appointments': {'patient', 'other patient', 'doctor', 'other doctor', 'admin', 'read-only token'},
    'book for oneself': {'patient', 'other patient'},
    'book for a patient': {'admin'},
    'move her appointment': {'patient', 'admin'},
    'cancel her appointment': {'patient', 'doctor', 'admin'},
    "see her doctor's blocked time": {'doctor', 'admin'},
    "block her doctor's time": {'doctor', 'admin'},
}
SUCCESS = {'book for oneself': 201, 'book for a patient': 201, "block her doctor's time": 201}


def expected(use_case: str, role: str) -> set[int]:
    if role in ALLOWED[use_case]:
        return {SUCCESS.get(use_case, 200)}
    if role in ('anonymous', 'revoked token'):
        return {401}
    if role == 'read-only token':
        return {403}
    return {403, 404}  # not allowed, or not theirs to see: both refuse without saying more


def ids() -> dict[str, int]:
    with app.state.clinic.db.reading() as session:
        return {u.email: u.id for u in session.exec(select(User)).all() if u.email}


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('use_case', list(ALLOWED))
async def test_each_cell_over_http(browser, use_case, role):
    clinic, people, monday = app.state.clinic, ids(), next_monday()
    maria = people[PEOPLE['patient']]
    hers = await asyncio.to_thread(book, clinic, actor_id=maria, doctor_id=1, starts_at=local(monday, 9))
    [caller] = await asyncio.to_thread(create_patients, clinic, 1)  # whom the desk books for (none of the roles)
    headers: dict[str, str] = {}
    if role in PEOPLE:
        _, secret = await asyncio.to_thread(create_token, clinic, actor_id=people[PEOPLE[role]], name='matrix')
        headers = {'Authorization': f'Bearer {secret}'}
    elif role == 'revoked token':
        token, secret = await asyncio.to_thread(create_token, clinic, actor_id=maria, name='old')
        await asyncio.to_thread(revoke_token, clinic, actor_id=maria, token_id=token.id)
        headers = {'Authorization': f'Bearer {secret}'}
    elif role == 'read-only token':
        _, secret = await asyncio.to_thread(create_token, clinic, actor_id=maria, name='reader', scope=TokenScope.read)
        headers = {'Authorization': f'Bearer {secret}'}
    http = browser().http_client
    requests = {
        'list doctors': lambda: http.get(f'{API}/doctors', headers=headers),
        'see free times': lambda: http.get(f'{API}/doctors/1/slots', params={'day': str(monday)}, headers=headers),
        'list own appointments': lambda: http.get(f'{API}/appointments', headers=headers),
        'book for oneself': lambda: http.post(
            f'{API}/appointments', json={'doctor_id': 2, 'starts_at': f'{monday}T11:00:00'}, headers=headers
        ),
        'book for a patient': lambda: http.post(
            f'{API}/appointments',
            json={'doctor_id': 2, 'starts_at': f'{monday}T11:00:00', 'patient_id': caller.id},
            headers=headers,
        ),
        'move her appointment': lambda: http.patch(
            f'{API}/appointments/{hers.id}', json={'starts_at': f'{monday}T14:00:00'}, headers=headers
        ),
        "see her doctor's blocked time": lambda: http.get(f'{API}/doctors/1/periods', headers=headers),
        "block her doctor's time": lambda: http.post(
            f'{API}/doctors/1/periods',
            json={'starts_at': f'{monday}T15:00:00', 'ends_at': f'{monday}T16:00:00', 'in_the_way': 'keep'},
            headers=headers,
        ),
        'cancel her appointment': lambda: http.post(
            f'{API}/appointments/{hers.id}/cancel', json={'reason': DOCTOR_UNAVAILABLE}, headers=headers
        ),
    }
    before = await asyncio.to_thread(appointments)
    answer = await requests[use_case]()
    assert answer.status_code in expected(use_case, role), (answer.status_code, answer.text)
    if answer.status_code >= 400:
        assert answer.json()['error']['code']  # always the API's own JSON error
        assert await asyncio.to_thread(appointments) == before  # and nothing was booked, moved or cancelled


def appointments() -> list[tuple]:
    """Every appointment and blocked period as it stands."""
    with app.state.clinic.db.reading() as session:
        rows = session.exec(select(Appointment).order_by(Appointment.id)).all()
        periods = session.exec(select(Unavailability).order_by(Unavailability.id)).all()
        return [(a.id, a.status, a.starts_at) for a in rows] + [(p.id, p.starts_at, p.ends_at) for p in periods]
