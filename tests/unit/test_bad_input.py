"""Bad input to every use case: each gets a clear message (naming its field where there is one) and changes nothing."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import Appointment, Doctor, Unavailability, UnavailabilityReason, User, WorkingHours
from services.accounts import create_doctor as create_doctor_account
from services.accounts import register_patient
from services.availability import mark_unavailable, update_unavailability
from services.booking import book, cancel
from services.errors import ClinicError
from services.local_time import parse_day, parse_moment
from services.schedule import parse_ranges, set_working_hours
from tests.factories import BERLIN, NEXT_MONDAY, NOW, admin_id, create_doctor, create_patient, local

LONG = 'x' * 501
SCRIPT = '<script>alert(1)</script>'


@pytest.fixture
def w(clinic):
    doctor, other = create_doctor(clinic, 'Dr. Own'), create_doctor(clinic, 'Dr. Other')
    patient = create_patient(clinic)
    period = mark_unavailable(
        clinic,
        actor_id=other.user_id,
        doctor_id=other.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 10),
    )
    return dict(clinic=clinic, doctor=doctor, other=other, patient=patient, period=period, admin=admin_id(clinic))


CASES = {
    'sign-up: empty email': (
        lambda w: register_patient(w['clinic'], email='', full_name='A', password='long-enough'),
        'Email is required',
        'email',
    ),
    'sign-up: email without domain': (
        lambda w: register_patient(w['clinic'], email='ann@', full_name='A', password='long-enough'),
        'valid email',
        'email',
    ),
    'sign-up: blank name': (
        lambda w: register_patient(w['clinic'], email='a@b.org', full_name='   ', password='long-enough'),
        'Name is required',
        'full_name',
    ),
    'sign-up: name too long': (
        lambda w: register_patient(w['clinic'], email='a@b.org', full_name=LONG, password='long-enough'),
        'too long',
        'full_name',
    ),
    'sign-up: short password': (
        lambda w: register_patient(w['clinic'], email='a@b.org', full_name='A', password='short'),
        'at least 10',
        'password',
    ),
    'sign-up: password too long': (
        lambda w: register_patient(w['clinic'], email='a@b.org', full_name='A', password=LONG),
        'too long',
        'password',
    ),
    'book: unknown doctor': (
        lambda w: book(w['clinic'], actor_id=w['patient'].id, doctor_id=999, starts_at=local(NEXT_MONDAY, 10)),
        'Unknown doctor',
        'doctor',
    ),
    'book: off the grid': (
        lambda w: book(
            w['clinic'], actor_id=w['patient'].id, doctor_id=w['doctor'].id, starts_at=local(NEXT_MONDAY, 10, 7)
        ),
        'no longer available',
        'slot',
    ),
    'book: in the lunch break': (
        lambda w: book(
            w['clinic'], actor_id=w['patient'].id, doctor_id=w['doctor'].id, starts_at=local(NEXT_MONDAY, 12)
        ),
        'no longer available',
        'slot',
    ),
    'book: in the past': (
        lambda w: book(
            w['clinic'], actor_id=w['patient'].id, doctor_id=w['doctor'].id, starts_at=NOW - timedelta(days=3)
        ),
        'This day has passed',
        'date',
    ),
    'book: earlier today': (
        lambda w: book(
            w['clinic'], actor_id=w['patient'].id, doctor_id=w['doctor'].id, starts_at=NOW - timedelta(hours=1)
        ),
        'already past',
        'slot',
    ),
    'book: far future': (
        lambda w: book(
            w['clinic'],
            actor_id=w['patient'].id,
            doctor_id=w['doctor'].id,
            starts_at=local(NEXT_MONDAY + timedelta(days=400), 10),
        ),
        '60 days',
        'date',
    ),
    'book: reason too long': (
        lambda w: book(
            w['clinic'],
            actor_id=w['patient'].id,
            doctor_id=w['doctor'].id,
            starts_at=local(NEXT_MONDAY, 10),
            reason=LONG,
        ),
        'too long',
        'reason',
    ),
    'cancel: unknown appointment': (
        lambda w: cancel(w['clinic'], actor_id=w['patient'].id, appointment_id=999),
        'does not exist',
        None,
    ),
    'period: end before start': (
        lambda w: mark_unavailable(
            w['clinic'],
            actor_id=w['doctor'].user_id,
            doctor_id=w['doctor'].id,
            starts_at=local(NEXT_MONDAY, 11),
            ends_at=local(NEXT_MONDAY, 10),
        ),
        'after the start',
        'end',
    ),
    'period: wholly past': (
        lambda w: mark_unavailable(
            w['clinic'],
            actor_id=w['doctor'].user_id,
            doctor_id=w['doctor'].id,
            starts_at=NOW - timedelta(days=2),
            ends_at=NOW - timedelta(days=1),
        ),
        'already over',
        'end',
    ),
    'period: over a year': (
        lambda w: mark_unavailable(
            w['clinic'],
            actor_id=w['doctor'].user_id,
            doctor_id=w['doctor'].id,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 9) + timedelta(days=367),
        ),
        'one year',
        'end',
    ),
    'period: note too long': (
        lambda w: mark_unavailable(
            w['clinic'],
            actor_id=w['doctor'].user_id,
            doctor_id=w['doctor'].id,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 10),
            note=LONG,
        ),
        'too long',
        'note',
    ),
    "period: another doctor's": (
        lambda w: update_unavailability(
            w['clinic'],
            actor_id=w['doctor'].user_id,
            period_id=w['period'].id,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 11),
            reason=UnavailabilityReason.other,
        ),
        'only change your own',
        None,
    ),
    'period: unknown id': (
        lambda w: update_unavailability(
            w['clinic'],
            actor_id=w['doctor'].user_id,
            period_id=999,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 11),
        ),
        'no longer exists',
        None,
    ),
    'period: unknown doctor': (
        lambda w: mark_unavailable(
            w['clinic'],
            actor_id=w['admin'],
            doctor_id=999,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 10),
        ),
        'Unknown doctor',
        'doctor',
    ),
    'hours: slot length not offered': (
        lambda w: set_working_hours(
            w['clinic'], actor_id=w['doctor'].user_id, doctor_id=w['doctor'].id, hours={}, slot_minutes=7
        ),
        'slot length',
        'slot_minutes',
    ),
    'hours: unreadable range': (lambda w: parse_ranges('9 till 5', weekday=2), 'write ranges like', 'hours-2'),
    'hours: overlapping ranges': (lambda w: parse_ranges('09:00-13:00, 12:00-15:00', weekday=4), 'overlap', 'hours-4'),
    'hours: unknown weekday': (
        lambda w: set_working_hours(
            w['clinic'], actor_id=w['doctor'].user_id, doctor_id=w['doctor'].id, hours={9: []}, slot_minutes=30
        ),
        'Unknown weekday',
        'hours',
    ),
    'doctor account: blank specialty': (
        lambda w: create_doctor_account(
            w['clinic'], actor_id=w['admin'], email='d@c.org', full_name='Dr. D', specialty=' ', password='long-enough'
        ),
        'Specialty is required',
        'specialty',
    ),
    'doctor account: email taken': (
        lambda w: create_doctor_account(
            w['clinic'],
            actor_id=w['admin'],
            email=w['patient'].email,
            full_name='Dr. D',
            specialty='ENT',
            password='long-enough',
        ),
        'An account with this email already exists',
        'email',
    ),
    'typed date: 30 February': (lambda w: parse_day('2026-02-30'), 'not a day in the calendar', 'date'),
    'typed date: words': (lambda w: parse_day('next monday'), 'YYYY-MM-DD', 'date'),
    'typed time: hour 24': (
        lambda w: parse_moment('2026-11-30 24:00', BERLIN, field='start'),
        'YYYY-MM-DD HH:MM',
        'start',
    ),
    'typed time: in the DST gap': (
        lambda w: parse_moment('2027-03-28 02:30', BERLIN, field='start'),
        'does not exist',
        'start',
    ),
}
TABLES = (Appointment, Unavailability, WorkingHours, User, Doctor)


def snapshot(clinic):
    with clinic.db.reading() as session:
        return [sorted(repr(row.model_dump()) for row in session.exec(select(table))) for table in TABLES]


@pytest.mark.parametrize('case', list(CASES))
def test_bad_input_gets_a_clear_message_and_changes_nothing(w, case):
    action, message, field = CASES[case]
    before = snapshot(w['clinic'])
    with pytest.raises(ClinicError) as refused:
        action(w)
    assert message in refused.value.message
    assert refused.value.field == field
    assert snapshot(w['clinic']) == before


def test_html_in_text_is_kept_as_plain_text(w):
    info = book(
        w['clinic'], actor_id=w['patient'].id, doctor_id=w['doctor'].id, starts_at=local(NEXT_MONDAY, 10), reason=SCRIPT
    )
    assert info.reason == SCRIPT  # stored as typed; pages render it as text (see the browser test)
