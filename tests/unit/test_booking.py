from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from models import Appointment, AppointmentStatus
from services.availability import mark_unavailable
from services.booking import book, cancel, reschedule
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.errors import InvalidInput, NotAllowed, NotFound, SlotTaken
from services.live.events import Change
from services.read_models.free_time import day_slots
from tests.factories import (
    NEXT_MONDAY,
    admin_id,
    appointment_row,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    published,
)


def labels(clinic, doctor_id, day=NEXT_MONDAY):
    return [s.label for s in day_slots(clinic, doctor_id=doctor_id, day=day).slots]


def test_booking_takes_the_slot_away_and_publishes_after_commit(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = book(
        clinic,
        actor_id=patient.id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 10),
        reason='Cough',
        origin='tab-1',
    )
    assert info.status is AppointmentStatus.booked and info.doctor_name == 'Dr. Test'
    assert '10:00' not in labels(clinic, doctor.id)
    [event] = published(clinic)
    assert (event.doctor_id, event.change, event.origin) == (doctor.id, Change.booked, 'tab-1')
    assert event.touches(doctor.id, NEXT_MONDAY) and not event.touches(doctor.id, NEXT_MONDAY + timedelta(days=1))
    assert event.patient_ids == {patient.id}


def test_a_taken_slot_is_refused_with_a_clear_message(clinic):
    doctor, first, second = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    book(clinic, actor_id=first.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10, 30))
    with pytest.raises(SlotTaken, match='10:30 was just taken; the list has been refreshed'):
        book(clinic, actor_id=second.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10, 30))
    assert len(published(clinic)) == 1


def test_a_blocked_slot_is_refused_as_no_longer_available(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 11, 30),
    )
    with pytest.raises(SlotTaken, match='09:30 is no longer available'):
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9, 30))


def test_times_off_the_grid_or_outside_hours_are_refused(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    for start in (local(NEXT_MONDAY, 10, 10), local(NEXT_MONDAY, 12), local(NEXT_MONDAY, 20)):
        with pytest.raises(SlotTaken):
            book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=start)


def test_past_and_too_far_days_are_refused(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    with pytest.raises(SlotTaken, match='too close or already past'):
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=clinic.now() - timedelta(hours=1))
    far = NEXT_MONDAY + timedelta(days=70)
    with pytest.raises(InvalidInput, match='60 days') as refused:
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(far, 10))
    assert refused.value.field == 'date'


def test_unknown_doctor_and_non_patients_are_refused(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    with pytest.raises(NotFound, match='Unknown doctor'):
        book(clinic, actor_id=patient.id, doctor_id=999, starts_at=local(NEXT_MONDAY, 10))
    for actor in (doctor.user_id, admin_id(clinic)):
        with pytest.raises(NotAllowed):
            book(clinic, actor_id=actor, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))


def test_a_patient_cannot_hold_two_overlapping_appointments(clinic):
    short, long_ = create_doctor(clinic, 'Dr. Short'), create_doctor(clinic, 'Dr. Long', slot_minutes=60)
    patient = create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=long_.id, starts_at=local(NEXT_MONDAY, 9))
    with pytest.raises(InvalidInput, match='already have an appointment at that time'):
        book(clinic, actor_id=patient.id, doctor_id=short.id, starts_at=local(NEXT_MONDAY, 9, 30))
    book(clinic, actor_id=patient.id, doctor_id=short.id, starts_at=local(NEXT_MONDAY, 10))


def test_overly_long_reason_is_refused_and_nothing_saved(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    with pytest.raises(InvalidInput, match='too long') as refused:
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='x' * 501)
    assert refused.value.field == 'reason'
    assert '10:00' in labels(clinic, doctor.id)


def test_the_database_itself_refuses_two_active_appointments_at_one_start(clinic):
    doctor, first, second = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    start = local(NEXT_MONDAY, 11)
    with clinic.db.writing() as session:
        session.add(appointment_row(session, doctor.id, first.id, start))
    with pytest.raises(IntegrityError), clinic.db.writing() as session:
        session.add(appointment_row(session, doctor.id, second.id, start))
    with clinic.db.writing() as session:  # a cancelled one does not count
        session.add(appointment_row(session, doctor.id, second.id, start, status=AppointmentStatus.cancelled))
    with clinic.db.reading() as session:
        assert len(session.exec(select(Appointment)).all()) == 2


def test_cancelling_frees_the_slot_and_records_who(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic, 'Maria')
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    cancelled = cancel(clinic, actor_id=patient.id, appointment_id=info.id, origin='tab')
    assert cancelled.status is AppointmentStatus.cancelled and cancelled.cancelled_by == 'Maria'
    assert '10:00' in labels(clinic, doctor.id)
    assert published(clinic)[-1].change is Change.cancelled
    with pytest.raises(InvalidInput, match='not booked any more'):
        cancel(clinic, actor_id=patient.id, appointment_id=info.id)


def test_only_the_patient_their_doctor_or_an_admin_may_cancel(clinic):
    doctor, other_doctor = create_doctor(clinic), create_doctor(clinic, 'Dr. Other')
    patient, stranger = create_patient(clinic), create_patient(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    for actor in (stranger.id, other_doctor.user_id):
        with pytest.raises(NotFound):
            cancel(clinic, actor_id=actor, appointment_id=info.id, reason=DOCTOR_UNAVAILABLE)
    cancel(clinic, actor_id=doctor.user_id, appointment_id=info.id, reason=DOCTOR_UNAVAILABLE)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    cancel(clinic, actor_id=admin_id(clinic), appointment_id=info.id, reason=DOCTOR_UNAVAILABLE)


def test_each_person_sees_only_their_appointments(clinic):
    doctor, other_doctor = create_doctor(clinic), create_doctor(clinic, 'Dr. Other')
    maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='private')
    book(clinic, actor_id=james.id, doctor_id=other_doctor.id, starts_at=local(NEXT_MONDAY, 11))
    assert [a.patient_name for a in appointments_seen_by(clinic, maria.id)] == ['Maria']
    assert [a.patient_name for a in appointments_seen_by(clinic, james.id)] == ['James']
    assert [a.patient_name for a in appointments_seen_by(clinic, doctor.user_id)] == ['Maria']
    assert len(appointments_seen_by(clinic, admin_id(clinic))) == 2


def test_minimum_notice_hides_slots_starting_too_soon(tmp_path, database_url):
    from tests.factories import NOW, make_clinic

    clinic = make_clinic(tmp_path, database_url=database_url, min_notice_minutes=120)
    doctor = create_doctor(clinic)
    today = NOW.astimezone(clinic.tz).date()
    assert labels(clinic, doctor.id, today)[0] == '11:30'  # 11:00 starts exactly at the notice limit


def test_a_patient_moves_an_appointment_to_another_free_time(clinic):
    doctor, patient, other = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='Check-up')
    tuesday = NEXT_MONDAY + timedelta(days=1)
    moved = reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(tuesday, 9), origin='t')
    assert (moved.id, moved.starts_at, moved.reason) == (info.id, local(tuesday, 9), 'Check-up')
    assert '10:00' in labels(clinic, doctor.id) and '09:00' not in labels(clinic, doctor.id, tuesday)
    event = published(clinic)[-1]
    assert event.change is Change.moved and event.appointment_ids == {info.id}
    assert event.touches(doctor.id, NEXT_MONDAY) and event.touches(doctor.id, tuesday)
    book(clinic, actor_id=other.id, doctor_id=doctor.id, starts_at=local(tuesday, 10))
    with pytest.raises(SlotTaken, match='10:00 was just taken'):
        reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(tuesday, 10))
    assert appointments_seen_by(clinic, patient.id)[0].starts_at == local(tuesday, 9)  # unchanged
    with pytest.raises(NotFound):
        reschedule(clinic, actor_id=other.id, appointment_id=info.id, starts_at=local(tuesday, 11))


def test_moving_a_long_appointment_by_half_its_length_is_allowed(clinic):
    doctor = create_doctor(clinic, slot_minutes=60)
    patient = create_patient(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    moved = reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 10))
    assert moved.starts_at == local(NEXT_MONDAY, 10)
