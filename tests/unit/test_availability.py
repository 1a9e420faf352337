from datetime import time, timedelta

import pytest

from models import AppointmentStatus, UnavailabilityReason
from services.availability import (
    InTheWay,
    classify_reason,
    mark_unavailable,
    remove_unavailability,
    update_unavailability,
)
from services.booking import book
from services.errors import AppointmentsInTheWay, InvalidInput, InvalidPeriod, NotAllowed, NotFound
from services.live.events import Change, InboxChanged
from services.notifications import inbox as inbox_of
from services.read_models.free_time import day_slots
from services.read_models.schedules import schedule_of
from services.schedule import parse_ranges, set_working_hours
from tests.factories import (
    NEXT_MONDAY,
    NOW,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    published,
)


def labels(clinic, doctor_id, day=NEXT_MONDAY):
    return [s.label for s in day_slots(clinic, doctor_id=doctor_id, day=day).slots]


def block(clinic, doctor, start, end, **kwargs):
    return mark_unavailable(
        clinic,
        actor_id=kwargs.pop('actor_id', doctor.user_id),
        doctor_id=doctor.id,
        starts_at=start,
        ends_at=end,
        **kwargs,
    )


def test_marking_time_unavailable_removes_those_slots_and_tells_who(clinic):
    doctor = create_doctor(clinic, 'Dr. Alice Smith')
    period = block(
        clinic,
        doctor,
        local(NEXT_MONDAY, 9),
        local(NEXT_MONDAY, 11, 30),
        reason=UnavailabilityReason.conference,
        note='Conference',
        origin='tab-a',
    )
    assert labels(clinic, doctor.id)[:2] == ['11:30', '13:00']
    assert period.changed_by == 'Dr. Alice Smith'
    [event] = published(clinic)
    assert event.change is Change.period_added and event.origin == 'tab-a'
    assert event.description == 'Dr. Alice Smith marked time unavailable'
    assert event.touches(doctor.id, NEXT_MONDAY) and not event.touches(doctor.id, NEXT_MONDAY + timedelta(days=1))


def test_a_multi_day_period_touches_every_day_it_covers(clinic):
    doctor = create_doctor(clinic)
    block(clinic, doctor, local(NEXT_MONDAY, 0), local(NEXT_MONDAY + timedelta(days=5), 0))
    for offset in range(5):
        assert labels(clinic, doctor.id, NEXT_MONDAY + timedelta(days=offset)) == []
        assert published(clinic)[0].touches(doctor.id, NEXT_MONDAY + timedelta(days=offset))
    assert not published(clinic)[0].touches(doctor.id, NEXT_MONDAY + timedelta(days=5))


def test_editing_a_period_gives_back_the_old_time_and_touches_both_days(clinic):
    doctor = create_doctor(clinic)
    period = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10))
    tuesday = NEXT_MONDAY + timedelta(days=1)
    update_unavailability(
        clinic,
        actor_id=doctor.user_id,
        period_id=period.id,
        starts_at=local(tuesday, 9),
        ends_at=local(tuesday, 10),
        note='moved',
    )
    assert '09:00' in labels(clinic, doctor.id) and '09:00' not in labels(clinic, doctor.id, tuesday)
    event = published(clinic)[-1]
    assert event.change is Change.period_changed
    assert event.touches(doctor.id, NEXT_MONDAY) and event.touches(doctor.id, tuesday)


def test_removing_a_period_gives_the_time_back(clinic):
    doctor = create_doctor(clinic)
    period = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10))
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=period.id)
    assert labels(clinic, doctor.id)[0] == '09:00'
    assert published(clinic)[-1].change is Change.period_removed
    with pytest.raises(NotFound, match='no longer exists'):
        remove_unavailability(clinic, actor_id=doctor.user_id, period_id=period.id)


@pytest.mark.parametrize(
    ('start', 'end', 'message', 'field'),
    [
        (local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 9), 'end must be after the start', 'end'),
        (local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 10), 'end must be after the start', 'end'),
        (NOW - timedelta(days=2), NOW - timedelta(hours=1), 'already over', 'end'),
        (local(NEXT_MONDAY, 10), local(NEXT_MONDAY, 10) + timedelta(days=400), 'at most one year', 'end'),
    ],
)
def test_bad_periods_are_refused_and_nothing_changes(clinic, start, end, message, field):
    doctor = create_doctor(clinic)
    with pytest.raises(InvalidPeriod, match=message) as refused:
        block(clinic, doctor, start, end)
    assert refused.value.field == field
    assert schedule_of(clinic, doctor_id=doctor.id).periods == ()
    assert published(clinic) == []


def test_a_period_that_started_in_the_past_but_is_still_running_is_saved(clinic):
    doctor = create_doctor(clinic)
    block(clinic, doctor, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    assert len(schedule_of(clinic, doctor_id=doctor.id).periods) == 1


def test_a_note_over_500_characters_is_refused(clinic):
    doctor = create_doctor(clinic)
    with pytest.raises(InvalidInput, match='too long'):
        block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10), note='x' * 501)


def test_only_the_doctor_or_an_admin_may_change_a_schedule(clinic):
    doctor, other = create_doctor(clinic), create_doctor(clinic, 'Dr. Other')
    patient = create_patient(clinic)
    for actor in (other.user_id, patient.id):
        with pytest.raises(NotAllowed):
            block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10), actor_id=actor)
    period = block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 10), actor_id=admin_id(clinic))
    assert period.changed_by == 'Clinic Admin'
    with pytest.raises(NotAllowed):
        remove_unavailability(clinic, actor_id=other.user_id, period_id=period.id)
    with pytest.raises(NotAllowed):
        set_working_hours(clinic, actor_id=patient.id, doctor_id=doctor.id, hours={}, slot_minutes=30)


def test_blocking_over_appointments_asks_first_and_saves_nothing(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic, 'Maria')
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='Check-up')
    with pytest.raises(AppointmentsInTheWay) as asked:
        block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30))
    [appointment] = asked.value.appointments
    assert (appointment.patient_name, appointment.reason) == ('Maria', 'Check-up')
    assert schedule_of(clinic, doctor_id=doctor.id).periods == ()


def test_keeping_the_appointments_blocks_the_rest_and_leaves_them_booked(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    block(clinic, doctor, local(NEXT_MONDAY, 9), local(NEXT_MONDAY, 11, 30), in_the_way=InTheWay.keep)
    [kept] = appointments_seen_by(clinic, patient.id)
    assert kept.status is AppointmentStatus.booked
    assert published(clinic)[-1].patient_ids == frozenset()


def test_cancelling_the_appointments_in_the_way_records_why_and_names_the_patients(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    block(
        clinic,
        doctor,
        local(NEXT_MONDAY, 9),
        local(NEXT_MONDAY, 11, 30),
        in_the_way=InTheWay.cancel,
        reason=UnavailabilityReason.sick,
    )
    [cancelled] = appointments_seen_by(clinic, patient.id)
    assert cancelled.status is AppointmentStatus.cancelled
    assert (
        cancelled.cancelled_by == 'Dr. Alice Smith'
        and cancelled.cancel_reason == 'The doctor is unavailable at that time.'
    )
    change, inbox = published(clinic)[-2:]
    assert change.patient_ids == {patient.id} and change.appointment_ids == {cancelled.id}
    assert inbox == InboxChanged(user_id=patient.id)
    assert '10:00' not in labels(clinic, doctor.id)
    [notice] = inbox_of(clinic, actor_id=patient.id).messages
    assert (
        notice.text.startswith('Your appointment with Dr. Alice Smith on')
        and 'cancelled by Dr. Alice Smith' in notice.text
    )


def test_working_hours_and_slot_length_change_the_slots(clinic):
    doctor = create_doctor(clinic)
    hours = {0: parse_ranges('08:00-10:00', weekday=0), 5: parse_ranges('10:00-11:00', weekday=5)}
    set_working_hours(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, hours=hours, slot_minutes=60)
    assert labels(clinic, doctor.id) == ['08:00', '09:00']
    assert labels(clinic, doctor.id, NEXT_MONDAY + timedelta(days=1)) == []
    assert labels(clinic, doctor.id, NEXT_MONDAY + timedelta(days=5)) == ['10:00']
    assert (
        'does not work on Tuesdays'
        in day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY + timedelta(days=1)).message
    )
    assert published(clinic)[-1].change is Change.hours_changed


@pytest.mark.parametrize(
    ('text', 'message'),
    [
        ('9-12', 'write ranges like'),
        ('12:00-09:00', 'end after it starts'),
        ('09:00-12:00, 11:00-13:00', 'overlap'),
    ],
)
def test_unclear_working_hours_are_refused(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_ranges(text, weekday=0)


def test_working_hours_parse_several_ranges_and_a_day_off():
    assert parse_ranges('13:00-17:00, 09:00-12:00', weekday=0) == [(time(9), time(12)), (time(13), time(17))]
    assert parse_ranges('  ', weekday=6) == []


def test_reason_categories_follow_what_was_typed():
    assert classify_reason('Conference in Lyon') is UnavailabilityReason.conference
    assert classify_reason('Summer holiday') is UnavailabilityReason.vacation
    assert classify_reason('Sick leave') is UnavailabilityReason.sick
    assert classify_reason('Dentist') is UnavailabilityReason.other
