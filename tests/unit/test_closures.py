"""Clinic closures: the desk closes the clinic or chosen doctors, exactly like each doctor's own block."""

from datetime import timedelta

import pytest

from models import AppointmentStatus
from services.availability import InTheWay, mark_unavailable, remove_unavailability
from services.booking import book
from services.cancel_reasons import CLINIC_CLOSED
from services.closures import close_clinic, remove_closure, upcoming_closures
from services.errors import AppointmentsInTheWay, InvalidInput, NotAllowed, SlotTaken
from services.live.events import Change, DoctorsChanged, InboxChanged, ScheduleChanged
from services.read_models.doctors import bookable_doctors
from services.read_models.free_time import day_slots
from services.schedule import doctor_schedule
from tests.factories import (
    NEXT_MONDAY,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    published,
)

TUESDAY = NEXT_MONDAY + timedelta(days=1)


def whole_day(clinic, day, name="New Year's Day", **more):
    return close_clinic(
        clinic,
        actor_id=admin_id(clinic),
        name=name,
        starts_at=local(day, 0),
        ends_at=local(day + timedelta(days=1), 0),
        **more,
    )


def test_a_closure_of_the_whole_clinic_takes_every_doctors_day_and_names_itself(clinic):
    smith, jones = create_doctor(clinic, 'Dr. Smith'), create_doctor(clinic, 'Dr. Jones')
    whole_day(clinic, NEXT_MONDAY)
    for doctor in (smith, jones):
        slots = day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY)
        assert slots.slots == () and slots.message == "Clinic closed: New Year's Day"
        assert bookable_doctors(clinic).closed_for(doctor.id) == {NEXT_MONDAY: "New Year's Day"}
    assert day_slots(clinic, doctor_id=smith.id, day=TUESDAY).slots  # the next day is open


def test_a_closure_for_part_of_a_day_leaves_the_rest_and_the_day_open_in_the_date_picker(clinic):
    doctor = create_doctor(clinic)
    close_clinic(
        clinic,
        actor_id=admin_id(clinic),
        name='Staff training',
        starts_at=local(NEXT_MONDAY, 13),
        ends_at=local(NEXT_MONDAY, 18),
    )
    labels = [slot.label for slot in day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).slots]
    assert labels == ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']
    assert bookable_doctors(clinic).closed_for(doctor.id) == {}


def test_a_closure_for_chosen_doctors_leaves_the_others_open(clinic):
    smith, jones = create_doctor(clinic, 'Dr. Smith'), create_doctor(clinic, 'Dr. Jones')
    closure = whole_day(clinic, NEXT_MONDAY, name='Team day', doctor_ids=[smith.id])
    assert closure.doctor_names == ('Dr. Smith',) and not closure.whole_clinic
    assert day_slots(clinic, doctor_id=smith.id, day=NEXT_MONDAY).message == 'Clinic closed: Team day'
    assert day_slots(clinic, doctor_id=jones.id, day=NEXT_MONDAY).slots
    later = create_doctor(clinic, 'Dr. Later')  # joins after: a closure for chosen doctors is not theirs
    assert day_slots(clinic, doctor_id=later.id, day=NEXT_MONDAY).slots


def test_bookings_in_the_way_are_shown_first_then_kept_or_cancelled_with_the_patients_told(clinic):
    smith, jones = create_doctor(clinic, 'Dr. Smith'), create_doctor(clinic, 'Dr. Jones')
    anna, ben = create_patient(clinic, 'Anna'), create_patient(clinic, 'Ben')
    first = book(clinic, actor_id=anna.id, doctor_id=smith.id, starts_at=local(NEXT_MONDAY, 10))
    second = book(clinic, actor_id=ben.id, doctor_id=jones.id, starts_at=local(NEXT_MONDAY, 11))
    with pytest.raises(AppointmentsInTheWay) as asked:
        whole_day(clinic, NEXT_MONDAY)
    assert [a.id for a in asked.value.appointments] == [first.id, second.id]
    assert upcoming_closures(clinic, actor_id=admin_id(clinic)) == ()  # nothing was closed

    kept = whole_day(clinic, NEXT_MONDAY, in_the_way=InTheWay.keep)
    assert all(a.status is AppointmentStatus.booked for a in appointments_seen_by(clinic, anna.id))
    remove_closure(clinic, actor_id=admin_id(clinic), closure_id=kept.id)

    before = len(published(clinic))
    whole_day(clinic, NEXT_MONDAY, in_the_way=InTheWay.cancel, origin='tab')
    for patient in (anna, ben):
        (mine,) = appointments_seen_by(clinic, patient.id)
        assert (mine.status, mine.cancel_reason) == (AppointmentStatus.cancelled, CLINIC_CLOSED)
    events = published(clinic)[before:]
    changes = [e for e in events if isinstance(e, ScheduleChanged)]
    assert sorted(e.doctor_id for e in changes) == sorted([smith.id, jones.id])  # once per doctor
    assert all(e.change is Change.period_added and e.touches(e.doctor_id, NEXT_MONDAY) for e in changes)
    assert {e.user_id for e in events if isinstance(e, InboxChanged)} == {anna.id, ben.id}
    assert any(isinstance(e, DoctorsChanged) for e in events)  # the date pickers' closed days


def test_removing_a_closure_gives_the_time_back_and_a_booking_inside_one_is_refused(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    closure = whole_day(clinic, NEXT_MONDAY)
    with pytest.raises(SlotTaken):
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    remove_closure(clinic, actor_id=admin_id(clinic), closure_id=closure.id)
    assert day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).slots[0].label == '09:00'
    assert doctor_schedule(clinic, actor_id=doctor.user_id, doctor_id=doctor.id).periods == ()
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))


def test_a_doctor_sees_the_closure_but_only_the_desk_changes_it(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    for outsider in (doctor.user_id, patient.id):
        with pytest.raises(NotAllowed):
            close_clinic(
                clinic, actor_id=outsider, name='X', starts_at=local(NEXT_MONDAY, 9), ends_at=local(NEXT_MONDAY, 10)
            )
    closure = whole_day(clinic, NEXT_MONDAY)
    (period,) = doctor_schedule(clinic, actor_id=doctor.user_id, doctor_id=doctor.id).periods
    assert period.closure == "New Year's Day"
    with pytest.raises(NotAllowed, match='front desk'):
        remove_unavailability(clinic, actor_id=doctor.user_id, period_id=period.id)
    with pytest.raises(NotAllowed):
        remove_closure(clinic, actor_id=doctor.user_id, closure_id=closure.id)
    own = mark_unavailable(  # the doctor's own block may overlap the clinic's
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 8),
        ends_at=local(TUESDAY, 12),
        note='Holiday',
    )
    remove_closure(clinic, actor_id=admin_id(clinic), closure_id=closure.id)
    assert [p.id for p in doctor_schedule(clinic, actor_id=doctor.user_id, doctor_id=doctor.id).periods] == [own.id]


def test_a_doctor_who_joins_holds_the_whole_clinics_closures_to_come(clinic):
    whole_day(clinic, NEXT_MONDAY)
    doctor = create_doctor(clinic, 'Dr. New')
    assert day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).message == "Clinic closed: New Year's Day"


@pytest.mark.parametrize(
    ('name', 'start', 'end', 'field'),
    [
        ('', (NEXT_MONDAY, 9), (NEXT_MONDAY, 10), 'closure_name'),
        ('Holiday', (NEXT_MONDAY, 10), (NEXT_MONDAY, 9), 'end'),
        ('Holiday', (NEXT_MONDAY - timedelta(days=30), 9), (NEXT_MONDAY - timedelta(days=29), 9), 'end'),
        ('x' * 121, (NEXT_MONDAY, 9), (NEXT_MONDAY, 10), 'closure_name'),
    ],
)
def test_a_bad_closure_is_refused_with_a_clear_message_and_nothing_closed(clinic, name, start, end, field):
    doctor = create_doctor(clinic)
    with pytest.raises(InvalidInput) as refused:
        close_clinic(clinic, actor_id=admin_id(clinic), name=name, starts_at=local(*start), ends_at=local(*end))
    assert refused.value.field == field
    assert upcoming_closures(clinic, actor_id=admin_id(clinic)) == ()
    assert day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).slots
    with pytest.raises(InvalidInput, match='from the list'):
        close_clinic(
            clinic,
            actor_id=admin_id(clinic),
            name='X',
            starts_at=local(NEXT_MONDAY, 9),
            ends_at=local(NEXT_MONDAY, 10),
            doctor_ids=[9999],
        )


def test_a_doctor_reactivated_after_a_whole_clinic_closure_is_closed_too(clinic):
    from services.account_admin import set_active

    doctor = create_doctor(clinic, 'Dr. Away')
    set_active(clinic, actor_id=admin_id(clinic), user_id=doctor.user_id, active=False)
    whole_day(clinic, NEXT_MONDAY)
    set_active(clinic, actor_id=admin_id(clinic), user_id=doctor.user_id, active=True)
    assert day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).message == "Clinic closed: New Year's Day"


def test_a_walk_in_on_a_closed_day_is_told_the_clinic_is_closed(clinic):
    from services.booking import NothingFreeToday, book_walk_in

    doctor, patient = create_doctor(clinic), create_patient(clinic)
    today = clinic.today()
    close_clinic(
        clinic, actor_id=admin_id(clinic), name='Inventory', starts_at=clinic.now(), ends_at=local(today, 23, 59)
    )
    with pytest.raises(NothingFreeToday, match='Inventory'):
        book_walk_in(clinic, actor_id=admin_id(clinic), patient_id=patient.id, doctor_id=doctor.id)
