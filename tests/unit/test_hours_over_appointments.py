"""Changing working hours over booked appointments asks first, like blocking time; kept clashes stay marked."""

import asyncio
from datetime import timedelta

import pytest

from models import AppointmentStatus
from services.availability import InTheWay, mark_unavailable, remove_unavailability
from services.booking import book, cancel
from services.errors import AppointmentsInTheWay
from services.live.boards import build_live_boards
from services.live.events import Change, InboxChanged, ScheduleChanged
from services.notifications import inbox as inbox_of
from services.outbox import send_due
from services.read_models.schedules import schedule_of
from services.schedule import parse_ranges, set_working_hours
from tests.factories import (
    NEXT_MONDAY,
    Mailbox,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    make_clinic,
    published,
    text_of,
)

TUESDAY = NEXT_MONDAY + timedelta(days=1)
WEEKDAYS = '09:00-12:00, 13:00-17:00'


def hours(**days: str) -> dict[int, list]:
    """Monday-Friday 09:00-12:00, 13:00-17:00, with the given days (mon, tue, ...) changed."""
    names = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
    week = {name: WEEKDAYS if index < 5 else '' for index, name in enumerate(names)}
    week.update(days)
    return {index: parse_ranges(week[name], weekday=index) for index, name in enumerate(names)}


def save_hours(clinic, doctor, week, **kwargs):
    return set_working_hours(
        clinic,
        actor_id=kwargs.pop('actor_id', doctor.user_id),
        doctor_id=doctor.id,
        hours=week,
        slot_minutes=30,
        **kwargs,
    )


def book_at(clinic, patient, doctor, start, reason=''):
    return book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=start, reason=reason, second_that_day=True)


def clash_of(clinic, actor_id, appointment_id) -> str:
    return next(a.clash for a in appointments_seen_by(clinic, actor_id) if a.id == appointment_id)


def test_clearing_a_day_with_bookings_asks_first_and_saves_nothing(clinic):
    doctor, maria = create_doctor(clinic), create_patient(clinic, 'Maria')
    monday = book_at(clinic, maria, doctor, local(NEXT_MONDAY, 10), 'Check-up')
    book_at(clinic, maria, doctor, local(TUESDAY, 10))
    before = schedule_of(clinic, doctor_id=doctor.id).hours

    with pytest.raises(AppointmentsInTheWay) as asked:
        save_hours(clinic, doctor, hours(mon=''))

    assert [(a.id, a.patient_name, a.reason) for a in asked.value.appointments] == [(monday.id, 'Maria', 'Check-up')]
    assert schedule_of(clinic, doctor_id=doctor.id).hours == before
    assert not any(isinstance(e, ScheduleChanged) and e.change is Change.hours_changed for e in published(clinic))


def test_narrowing_a_range_past_the_end_of_an_appointment_counts_it_in_the_way(clinic):
    doctor, patient, other = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    late = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 11, 30))
    book_at(clinic, other, doctor, local(NEXT_MONDAY, 9))
    with pytest.raises(AppointmentsInTheWay) as asked:
        save_hours(clinic, doctor, hours(mon='09:00-11:45, 13:00-17:00'))
    assert [a.id for a in asked.value.appointments] == [late.id]


def test_appointments_already_over_are_not_in_the_way(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    clinic.clock.set(local(NEXT_MONDAY, 10, 30))
    save_hours(clinic, doctor, hours(mon=''))  # nothing to ask
    assert schedule_of(clinic, doctor_id=doctor.id).hours[0].weekday == 1


def test_keeping_them_saves_the_hours_and_marks_them_outside_working_hours_until_the_hours_cover_them(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    kept = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    other = book_at(clinic, patient, doctor, local(TUESDAY, 10))

    save_hours(clinic, doctor, hours(mon=''), in_the_way=InTheWay.keep)

    schedule = schedule_of(clinic, doctor_id=doctor.id)
    assert [a.clash for a in schedule.appointments] == ['Outside working hours', '']
    assert clash_of(clinic, doctor.user_id, kept.id) == 'Outside working hours'
    assert clash_of(clinic, admin_id(clinic), kept.id) == 'Outside working hours'
    assert clash_of(clinic, doctor.user_id, other.id) == ''
    assert clash_of(clinic, patient.id, kept.id) == ''  # the mark is for the clinic, not the patient
    assert appointments_seen_by(clinic, patient.id)[0].status is AppointmentStatus.booked

    save_hours(clinic, doctor, hours(mon='10:00-11:00'))
    assert clash_of(clinic, doctor.user_id, kept.id) == ''


def test_a_kept_clash_is_not_asked_about_again_by_a_later_change(clinic):
    doctor, maria, james = create_doctor(clinic), create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
    kept = book_at(clinic, maria, doctor, local(NEXT_MONDAY, 10))
    tuesday = book_at(clinic, james, doctor, local(TUESDAY, 10))
    save_hours(clinic, doctor, hours(mon=''), in_the_way=InTheWay.keep)

    save_hours(clinic, doctor, hours(mon='', wed='09:00-12:00'))  # touches no booking: nothing to ask
    with pytest.raises(AppointmentsInTheWay) as asked:
        save_hours(clinic, doctor, hours(mon='', tue=''))
    assert [a.id for a in asked.value.appointments] == [tuesday.id]  # only what this change leaves out

    save_hours(clinic, doctor, hours(mon='', tue=''), in_the_way=InTheWay.cancel)
    statuses = {a.id: a.status for a in appointments_seen_by(clinic, admin_id(clinic))}
    assert statuses[kept.id] is AppointmentStatus.booked  # the doctor decided to keep it; it stays kept
    assert statuses[tuesday.id] is AppointmentStatus.cancelled
    assert clash_of(clinic, doctor.user_id, kept.id) == 'Outside working hours'


def test_cancelling_them_tells_each_patient_live_in_the_inbox_and_by_email_without_saying_why(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, **mailbox.settings)
        doctor = create_doctor(clinic, 'Dr. Carol Diaz')
        maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
        first = book_at(clinic, maria, doctor, local(NEXT_MONDAY, 10))
        second = book_at(clinic, james, doctor, local(NEXT_MONDAY, 14))
        kept = book_at(clinic, maria, doctor, local(TUESDAY, 10))

        saved = save_hours(
            clinic, doctor, hours(mon=''), actor_id=admin_id(clinic), in_the_way=InTheWay.cancel, origin='tab-a'
        )
        send_due(clinic)
        clinic.db.dispose()

    assert [a.id for a in saved.cancelled] == [first.id, second.id]
    assert [h.weekday for h in saved.schedule.hours][:1] == [1]
    for patient, appointment in ((maria, first), (james, second)):
        [seen] = [a for a in appointments_seen_by(clinic, patient.id) if a.id == appointment.id]
        assert seen.status is AppointmentStatus.cancelled
        assert seen.cancel_reason == 'The doctor is unavailable at that time.'
        assert seen.cancelled_by == 'Clinic Admin'
        [notice] = inbox_of(clinic, actor_id=patient.id).messages
        assert 'cancelled by Clinic Admin' in notice.text
        [mail] = mailbox.cancellations(patient.email)
        assert 'the doctor is unavailable at that time' in text_of(mail).lower()
    assert next(a for a in appointments_seen_by(clinic, maria.id) if a.id == kept.id).status is AppointmentStatus.booked
    change = next(e for e in published(clinic) if isinstance(e, ScheduleChanged) and e.change is Change.hours_changed)
    assert change.patient_ids == {maria.id, james.id} and change.appointment_ids == {first.id, second.id}
    assert change.origin == 'tab-a'
    assert {e.user_id for e in published(clinic) if isinstance(e, InboxChanged)} >= {maria.id, james.id}


def test_an_appointment_kept_in_a_block_is_marked_until_the_block_goes_or_it_is_cancelled(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    kept = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    period = mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 11),
        in_the_way=InTheWay.keep,
    )
    assert clash_of(clinic, doctor.user_id, kept.id) == 'During unavailable time'
    assert schedule_of(clinic, doctor_id=doctor.id).appointments[0].clash == 'During unavailable time'
    remove_unavailability(clinic, actor_id=doctor.user_id, period_id=period.id)
    assert clash_of(clinic, doctor.user_id, kept.id) == ''

    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 11),
        in_the_way=InTheWay.keep,
    )
    cancel(clinic, actor_id=patient.id, appointment_id=kept.id)
    assert clash_of(clinic, doctor.user_id, kept.id) == ''


@pytest.fixture
async def live(clinic):
    clinic.hub.start(asyncio.get_running_loop())
    return clinic


async def test_the_front_desk_list_follows_changes_that_mark_clashes_and_patients_lists_do_not(live):
    clinic = live
    boards = build_live_boards(clinic)
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    kept = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    await clinic.hub.drain()
    desk = await boards.appointment_lists.watch(('all', 0))
    own = await boards.appointment_lists.watch(('doctor', doctor.id))
    theirs = await boards.appointment_lists.watch(('patient', patient.id))
    computed = boards.appointment_lists.computations

    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 11),
        in_the_way=InTheWay.keep,
    )
    await clinic.hub.drain()

    assert [a.clash for a in desk.value if a.id == kept.id] == ['During unavailable time']
    assert [a.clash for a in own.value if a.id == kept.id] == ['During unavailable time']
    assert boards.appointment_lists.computations - computed == 2  # the patient's list was left alone
    assert theirs.value[0].clash == ''


def test_an_appointment_is_upcoming_until_it_starts_then_recent_never_both(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    appointment = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    schedule = schedule_of(clinic, doctor_id=doctor.id)
    assert ([a.id for a in schedule.appointments], schedule.recent) == ([appointment.id], ())
    clinic.clock.set(local(NEXT_MONDAY, 10, 10))
    schedule = schedule_of(clinic, doctor_id=doctor.id)
    assert (schedule.appointments, [a.id for a in schedule.recent]) == ((), [appointment.id])


def test_a_visit_across_touching_ranges_is_inside_the_hours_and_saving_them_again_asks_nothing(clinic):
    from services.visit_types import add_visit_type

    doctor, maria = create_doctor(clinic), create_patient(clinic)
    touching = hours(mon='09:00-12:00, 12:00-17:00')
    set_working_hours(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, hours=touching, slot_minutes=30)
    long = add_visit_type(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, name='Long visit', minutes=60)
    across = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11, 30), type_id=long.id)
    assert (across.starts_at, across.ends_at) == (local(NEXT_MONDAY, 11, 30), local(NEXT_MONDAY, 12, 30))
    saved = set_working_hours(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, hours=touching, slot_minutes=30)
    assert saved.cancelled == ()  # not asked about: the visit is inside the (joined) hours
    [row] = schedule_of(clinic, doctor_id=doctor.id).appointments
    assert row.clash == ''  # and the doctor's list does not mark it outside the hours
