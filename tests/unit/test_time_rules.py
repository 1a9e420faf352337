"""Time passing, with a clock the test sets: closing slots, finished appointments, no-shows."""

from datetime import UTC, date, datetime, timedelta

import pytest

from models import AppointmentStatus
from services.appointments import mark_no_show
from services.booking import book
from services.errors import InvalidInput, NotAllowed
from services.live.events import Change
from services.read_models.free_time import day_slots, next_slot_closing
from services.read_models.schedules import schedule_of
from services.schedule import parse_ranges, set_working_hours
from services.time_rules import complete_finished_appointments
from tests.factories import BERLIN, NEXT_MONDAY, admin_id, create_doctor, create_patient, local, published


def test_the_next_closing_is_the_next_slot_start_of_any_doctor(clinic):
    create_doctor(clinic)
    create_doctor(clinic, 'Dr. Quarter', slot_minutes=45)  # 09:00, 09:45, 10:30...
    clinic.clock.set(local(NEXT_MONDAY, 9, 59) + timedelta(seconds=59))
    assert next_slot_closing(clinic) == local(NEXT_MONDAY, 10)
    clinic.clock.set(local(NEXT_MONDAY, 10))
    assert next_slot_closing(clinic) == local(NEXT_MONDAY, 10, 30)
    clinic.clock.set(local(NEXT_MONDAY, 16, 30))
    assert next_slot_closing(clinic) is None  # the rest of the day has no slot; midnight takes over


def test_the_minimum_notice_moves_the_closing_earlier(tmp_path, database_url):
    from tests.factories import make_clinic

    clinic = make_clinic(tmp_path, database_url=database_url, min_notice_minutes=60, now=local(NEXT_MONDAY, 8, 59))
    create_doctor(clinic)
    assert next_slot_closing(clinic) == local(NEXT_MONDAY, 9)  # the 10:00 slot closes at 09:00


def test_closings_follow_the_clinic_zone_on_daylight_saving_days(clinic):
    create_doctor(clinic)
    for day in (date(2027, 3, 28), date(2027, 10, 31)):  # Sundays on which Berlin's clocks change
        doctor = create_doctor(clinic, f'Dr. Sunday {day}')
        set_working_hours(
            clinic,
            actor_id=doctor.user_id,
            doctor_id=doctor.id,
            hours={6: parse_ranges('01:00-04:00', weekday=6)},
            slot_minutes=30,
        )
        clinic.clock.set(datetime(day.year, day.month, day.day, 0, 30, tzinfo=BERLIN))
        assert next_slot_closing(clinic) == datetime(day.year, day.month, day.day, 1, 0, tzinfo=BERLIN)
        clinic.clock.set(datetime(day.year, day.month, day.day, 1, 45, tzinfo=BERLIN))
        expected = (
            datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
            if day.month == 3
            else datetime(day.year, day.month, day.day, 0, 0, tzinfo=UTC)
        )  # 03:00 CEST, or the first 02:00 CEST
        assert next_slot_closing(clinic) == expected


def test_slots_leave_the_list_as_their_start_passes(clinic):
    doctor = create_doctor(clinic)
    clinic.clock.set(local(NEXT_MONDAY, 9, 59) + timedelta(seconds=59))
    slots = [s.label for s in day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).slots]
    assert slots[0] == '10:00' and '09:30' not in slots
    clinic.clock.set(local(NEXT_MONDAY, 10))
    assert day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).slots[0].label == '10:30'


def test_finished_appointments_become_completed_and_pages_hear_quietly(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11), second_that_day=True)
    clinic.clock.set(local(NEXT_MONDAY, 10, 29))
    assert complete_finished_appointments(clinic) == 0
    clinic.clock.set(local(NEXT_MONDAY, 10, 30))
    assert complete_finished_appointments(clinic) == 1
    event = published(clinic)[-1]
    assert event.change is Change.completed and event.actor_id is None
    schedule = schedule_of(clinic, doctor_id=doctor.id)  # what the doctor sees: the past week and what is ahead
    statuses = {a.starts_at: a.status for a in (*schedule.recent, *schedule.appointments)}
    assert statuses == {
        local(NEXT_MONDAY, 10): AppointmentStatus.completed,
        local(NEXT_MONDAY, 11): AppointmentStatus.booked,
    }


def test_a_no_show_is_marked_by_the_doctor_once_the_appointment_started(clinic):
    doctor, other, patient = create_doctor(clinic), create_doctor(clinic, 'Dr. Other'), create_patient(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    with pytest.raises(InvalidInput, match='once the appointment has started'):
        mark_no_show(clinic, actor_id=doctor.user_id, appointment_id=info.id)
    clinic.clock.set(local(NEXT_MONDAY, 10, 5))
    for stranger in (other.user_id, patient.id):
        with pytest.raises(NotAllowed):
            mark_no_show(clinic, actor_id=stranger, appointment_id=info.id)
    assert mark_no_show(clinic, actor_id=doctor.user_id, appointment_id=info.id).status is AppointmentStatus.no_show
    clinic.clock.set(local(NEXT_MONDAY, 11))
    assert complete_finished_appointments(clinic) == 0  # a no-show stays a no-show


def test_an_admin_may_mark_a_completed_appointment_as_a_no_show(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    clinic.clock.set(local(NEXT_MONDAY, 12))
    complete_finished_appointments(clinic)
    assert mark_no_show(clinic, actor_id=admin_id(clinic), appointment_id=info.id).status is AppointmentStatus.no_show
