"""A second appointment with one doctor on one day is asked about first; a clinic may forbid it; days out of range
are refused before anything else."""

from datetime import timedelta

import pytest

from services.booking import AlreadyBookedThatDay, book, cancel, require_bookable_day, reschedule
from services.errors import InvalidInput
from tests.factories import NEXT_MONDAY, NOW, create_doctor, create_patient, local, make_clinic, published


def test_a_second_booking_with_the_doctor_that_day_is_asked_about_naming_the_first(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Smith'), create_patient(clinic)
    first = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))

    with pytest.raises(AlreadyBookedThatDay) as asked:
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 14))

    assert asked.value.existing.id == first.id
    assert asked.value.field == 'slot'
    assert asked.value.message == (
        'You already have an appointment with Dr. Smith on Monday 30 November 2026 at 10:00. '
        'Book a second one that day?'
    )
    assert len(published(clinic)) == 1  # nothing booked, nothing told

    second = book(
        clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 14), second_that_day=True
    )
    assert second.starts_at == local(NEXT_MONDAY, 14)


def test_another_doctor_another_day_or_a_cancelled_first_is_not_asked_about(clinic):
    smith, jones, patient = (
        create_doctor(clinic, 'Dr. Smith'),
        create_doctor(clinic, 'Dr. Jones'),
        create_patient(clinic),
    )
    first = book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(NEXT_MONDAY, 10))
    book(clinic, actor_id=patient.id, doctor_id=jones.id, starts_at=local(NEXT_MONDAY, 14))
    book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(NEXT_MONDAY + timedelta(days=1), 14))
    cancel(clinic, actor_id=patient.id, appointment_id=first.id)
    book(clinic, actor_id=patient.id, doctor_id=smith.id, starts_at=local(NEXT_MONDAY, 15))


def test_moving_within_the_day_is_not_a_second_booking(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    first = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    moved = reschedule(clinic, actor_id=patient.id, appointment_id=first.id, starts_at=local(NEXT_MONDAY, 15))
    assert moved.starts_at == local(NEXT_MONDAY, 15)


def test_a_clinic_allowing_one_a_day_refuses_the_second_saying_why_even_when_the_patient_insists(tmp_path):
    clinic = make_clinic(tmp_path, max_bookings_per_doctor_day=1)
    try:
        doctor, patient = create_doctor(clinic, 'Dr. Smith'), create_patient(clinic)
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
        with pytest.raises(InvalidInput) as refused:
            book(
                clinic,
                actor_id=patient.id,
                doctor_id=doctor.id,
                starts_at=local(NEXT_MONDAY, 14),
                second_that_day=True,
            )
        assert not isinstance(refused.value, AlreadyBookedThatDay)
        assert refused.value.field == 'date'
        assert refused.value.message == (
            'You already have an appointment with Dr. Smith on Monday 30 November 2026 at 10:00, and the clinic '
            'allows one appointment with one doctor on one day. Please choose another day.'
        )
    finally:
        clinic.db.dispose()


@pytest.mark.parametrize(
    ('offset', 'message'),
    [
        (-1, 'This day has passed. Choose today or a later day.'),
        (61, 'Bookings open 60 days ahead. Choose a day up to Sunday 24 January 2027.'),
    ],
)
def test_a_day_before_today_or_beyond_the_horizon_is_refused_at_the_date(clinic, offset, message):
    today = NOW.astimezone(clinic.tz).date()
    with pytest.raises(InvalidInput) as refused:
        require_bookable_day(clinic, today + timedelta(days=offset))
    assert (refused.value.field, refused.value.message) == ('date', message)
    require_bookable_day(clinic, today)
    require_bookable_day(clinic, today + timedelta(days=60))
