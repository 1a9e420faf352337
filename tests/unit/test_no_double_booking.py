"""Many simultaneous attempts at one time: exactly one wins, everyone else is told, and the data stays consistent."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from itertools import pairwise

from sqlmodel import select

from models import Appointment, AppointmentStatus, Unavailability
from services.availability import InTheWay, mark_unavailable
from services.booking import book
from services.errors import AppointmentsInTheWay, ClinicError, InvalidInput, SlotTaken
from services.schedule import parse_ranges, set_working_hours
from tests.factories import NEXT_MONDAY, create_doctor, create_patient, create_patients, local

ATTEMPTS = 50


def race(attempts):
    """Run the callables at the same moment from separate threads; return what each returned or raised."""
    start = threading.Barrier(len(attempts))

    def run(attempt):
        start.wait()
        try:
            return attempt()
        except ClinicError as refusal:
            return refusal

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(run, attempts))


def active(clinic, **where) -> list[Appointment]:
    with clinic.db.reading() as session:
        query = select(Appointment).where(Appointment.status == AppointmentStatus.booked)
        for name, value in where.items():
            query = query.where(getattr(Appointment, name) == value)
        return list(session.exec(query))


def test_fifty_patients_racing_for_one_time_leave_one_booking_and_the_rest_hear_it_was_taken(clinic):
    doctor = create_doctor(clinic)
    patients = create_patients(clinic, ATTEMPTS)
    results = race(
        [
            lambda p=p: book(clinic, actor_id=p.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
            for p in patients
        ]
    )
    kinds = Counter(type(r).__name__ for r in results)
    assert kinds == {'AppointmentInfo': 1, 'SlotTaken': ATTEMPTS - 1}
    assert all('10:00 was just taken' in r.message for r in results if isinstance(r, SlotTaken))
    assert len(active(clinic, doctor_id=doctor.id)) == 1


def test_racing_bookings_while_the_slot_length_changes_never_overlap(clinic):
    doctor = create_doctor(clinic)
    patients = create_patients(clinic, ATTEMPTS)
    weekdays = {day: parse_ranges('09:00-12:00, 13:00-17:00', weekday=day) for day in range(5)}
    starts = [local(NEXT_MONDAY, 9) + timedelta(minutes=15 * i) for i in range(12)]  # on both 30- and 45-min grids

    def flip(minutes):
        return lambda: set_working_hours(
            clinic, actor_id=doctor.user_id, doctor_id=doctor.id, hours=weekdays, slot_minutes=minutes
        )

    picks = [starts[i % len(starts)] for i in range(len(patients))]
    attempts = [
        lambda p=p, s=s: book(clinic, actor_id=p.id, doctor_id=doctor.id, starts_at=s)
        for p, s in zip(patients, picks, strict=True)
    ]
    attempts += [flip(45), flip(30), flip(45), flip(30)]
    race(attempts)
    booked = sorted(active(clinic, doctor_id=doctor.id), key=lambda a: a.starts_at)
    assert booked, 'some bookings should have succeeded'
    for first, second in pairwise(booked):
        assert first.ends_at <= second.starts_at, f'{first} overlaps {second}'


def test_one_patient_booking_two_doctors_at_once_gets_one(clinic):
    patient = create_patient(clinic)
    doctors = [create_doctor(clinic, f'Dr. {i}') for i in range(ATTEMPTS)]
    results = race(
        [
            lambda d=d: book(clinic, actor_id=patient.id, doctor_id=d.id, starts_at=local(NEXT_MONDAY, 10))
            for d in doctors
        ]
    )
    assert sum(not isinstance(r, ClinicError) for r in results) == 1
    assert all(
        isinstance(r, InvalidInput) and 'already have an appointment' in r.message
        for r in results
        if isinstance(r, ClinicError)
    )
    assert len(active(clinic, patient_id=patient.id)) == 1


def test_a_booking_racing_a_cancelling_block_never_survives_inside_it(clinic):
    for round_ in range(10):
        doctor = create_doctor(clinic, f'Dr. Round {round_}')
        patients = create_patients(clinic, 5)
        block = lambda d=doctor: mark_unavailable(  # noqa: E731
            clinic,
            actor_id=d.user_id,
            doctor_id=d.id,
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 12),
            in_the_way=InTheWay.cancel,
        )
        bookings = [
            lambda p=p, i=i, d=doctor: book(
                clinic, actor_id=p.id, doctor_id=d.id, starts_at=local(NEXT_MONDAY, 9) + timedelta(minutes=30 * i)
            )
            for i, p in enumerate(patients)
        ]
        results = race([block, *bookings])
        assert not isinstance(results[0], AppointmentsInTheWay)
        with clinic.db.reading() as session:
            periods = list(session.exec(select(Unavailability).where(Unavailability.doctor_id == doctor.id)))
        assert len(periods) == 1
        inside = [
            a
            for a in active(clinic, doctor_id=doctor.id)
            if a.starts_at < periods[0].ends_at and a.ends_at > periods[0].starts_at
        ]
        assert inside == [], 'an active appointment survived inside a period whose creator chose "cancel"'
