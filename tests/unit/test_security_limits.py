"""Slot hoarding: a patient holds at most `max_future_bookings` upcoming appointments, and at most
`max_bookings_per_doctor_day` with one doctor on one local day, however fast or in parallel they book."""

from datetime import timedelta

import pytest

from services.booking import book, cancel, reschedule
from services.errors import ClinicError, InvalidInput
from tests.factories import NEXT_MONDAY, create_doctor, create_patient, local, make_clinic
from tests.unit.test_no_double_booking import active, race

TOTAL = 8  # the clinic's defaults (config.Settings)
PER_DOCTOR_DAY = 2
FULL = f'You already have {TOTAL} upcoming appointments, the most the clinic allows. Cancel one to book another.'


def day(n: int):
    return NEXT_MONDAY + timedelta(days=n)


@pytest.fixture
def clinic_with(tmp_path, database_url):
    """A fresh clinic with some settings changed."""
    made = []

    def make(**settings):
        made.append(make_clinic(tmp_path, database_url=database_url, **settings))
        return made[-1]

    yield make
    for clinic in made:
        clinic.db.dispose()


def test_a_ninth_upcoming_appointment_is_refused_until_one_is_cancelled(clinic):
    doctors = [create_doctor(clinic, f'Dr. {i}') for i in range(2)]
    patient = create_patient(clinic)
    booked = [
        book(clinic, actor_id=patient.id, doctor_id=doctors[i % 2].id, starts_at=local(day(i // 2), 9 + i % 2))
        for i in range(TOTAL)
    ]
    with pytest.raises(InvalidInput) as refused:
        book(clinic, actor_id=patient.id, doctor_id=doctors[0].id, starts_at=local(day(4), 15))
    assert (refused.value.message, refused.value.field) == (FULL, 'slot')

    cancel(clinic, actor_id=patient.id, appointment_id=booked[0].id)
    book(clinic, actor_id=patient.id, doctor_id=doctors[0].id, starts_at=local(day(4), 15))
    assert len(active(clinic, patient_id=patient.id)) == TOTAL


def test_past_appointments_do_not_count_towards_the_total(clinic_with):
    clinic = clinic_with(max_future_bookings=2)
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(0), 9))
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(1), 9))
    with pytest.raises(InvalidInput, match='You already have 2 upcoming appointments'):
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(2), 9))
    clinic.clock.set(local(day(0), 9, 45))  # Monday's appointment is over
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(2), 9))


def test_a_third_appointment_with_one_doctor_on_one_day_is_refused_but_another_doctor_or_day_is_fine(clinic):
    smith, jones = create_doctor(clinic, 'Dr. Smith'), create_doctor(clinic, 'Dr. Jones')
    patient = create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(day(0), 9))
    book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(day(0), 14), second_that_day=True)
    with pytest.raises(InvalidInput) as refused:
        book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(day(0), 16), second_that_day=True)
    assert refused.value.field == 'date'
    assert refused.value.message == (
        'You already have 2 appointments with Dr. Smith on Monday 30 November 2026, the most the clinic allows '
        'with one doctor on one day. Please choose another day.'
    )
    book(clinic, actor_id=patient.id, doctor_id=jones.id, starts_at=local(day(0), 16))
    book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(day(1), 16))


def test_moving_does_not_add_one_but_cannot_go_onto_a_full_day(clinic_with):
    clinic = clinic_with(max_future_bookings=3)
    doctor, patient = create_doctor(clinic, 'Dr. Smith'), create_patient(clinic)
    monday_9 = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(0), 9))
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(0), 10), second_that_day=True)
    tuesday = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(day(1), 9))

    moved = reschedule(clinic, actor_id=patient.id, appointment_id=monday_9.id, starts_at=local(day(0), 15))
    assert moved.starts_at == local(day(0), 15)  # within its own day, at the total limit: allowed
    with pytest.raises(InvalidInput, match=r'2 appointments with Dr\. Smith on Monday 30 November 2026'):
        reschedule(clinic, actor_id=patient.id, appointment_id=tuesday.id, starts_at=local(day(0), 16))
    assert [a.starts_at for a in active(clinic, patient_id=patient.id) if a.id == tuesday.id] == [local(day(1), 9)]
    reschedule(clinic, actor_id=patient.id, appointment_id=tuesday.id, starts_at=local(day(2), 9))


def test_one_patient_firing_many_bookings_at_once_ends_with_exactly_the_total_limit(clinic):
    doctors = [create_doctor(clinic, f'Dr. {i}') for i in range(4)]
    patient = create_patient(clinic)
    # 20 different times, each doctor once a day, so only the total limit can stop them
    wishes = [(doctors[i % 4], local(day(i // 4), (9, 10, 11, 13)[i % 4])) for i in range(20)]
    results = race([lambda d=d, s=s: book(clinic, actor_id=patient.id, doctor_id=d.id, starts_at=s) for d, s in wishes])
    refusals = [r for r in results if isinstance(r, ClinicError)]
    assert len(active(clinic, patient_id=patient.id)) == TOTAL
    assert len(refusals) == len(wishes) - TOTAL and all(r.message == FULL for r in refusals)


def test_one_patient_firing_many_bookings_with_one_doctor_on_one_day_ends_with_exactly_the_daily_limit(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Smith'), create_patient(clinic)
    times = [local(day(0), 9) + timedelta(minutes=30 * i) for i in range(6)]
    times += [local(day(0), 13) + timedelta(minutes=30 * i) for i in range(8)]
    results = race(
        [
            lambda s=s: book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=s, second_that_day=True)
            for s in times
        ]
    )
    refusals = [r for r in results if isinstance(r, ClinicError)]
    assert len(active(clinic, patient_id=patient.id)) == PER_DOCTOR_DAY
    assert len(refusals) == len(times) - PER_DOCTOR_DAY
    assert all('the most the clinic allows with one doctor on one day' in r.message for r in refusals)
