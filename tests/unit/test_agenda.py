"""The doctor's agenda: a day's and a week's appointments in words, kept live once per change, moving with the clock."""

import asyncio
from datetime import timedelta

import pytest

from services.agenda import doctor_agenda, doctor_week
from services.appointments import mark_no_show
from services.booking import book, cancel, reschedule
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.live.boards import build_live_boards
from services.scheduler import ClinicScheduler
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, create_patient, local

TUESDAY = NEXT_MONDAY + timedelta(days=1)


@pytest.fixture
async def running(clinic):
    """The clinic with events flowing on this test's loop, its boards, and its scheduler started paused."""
    clinic.hub.start(asyncio.get_running_loop())
    boards = build_live_boards(clinic)
    scheduler = ClinicScheduler(clinic, boards)
    await scheduler.start(paused=True)
    yield clinic, boards, scheduler
    await scheduler.shutdown()


def rows(agenda):
    return [(e.times, e.patient_name, e.reason, e.status_words) for e in agenda.entries]


def test_the_day_lists_every_appointment_in_local_time_with_its_status_in_words(clinic):
    doctor, other = create_doctor(clinic, 'Dr. Own'), create_doctor(clinic, 'Dr. Other')
    ann, ben = create_patient(clinic, 'Ann'), create_patient(clinic, 'Ben')
    book(clinic, actor_id=ben.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 14), reason='Rash')
    gone = book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9), reason='Cough')
    cancel(clinic, actor_id=ann.id, appointment_id=gone.id)
    book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9, 30), reason='Cough')
    book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(TUESDAY, 9))  # another day
    book(clinic, actor_id=ben.id, doctor_id=other.id, starts_at=local(NEXT_MONDAY, 10))  # another doctor

    agenda = doctor_agenda(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, day=NEXT_MONDAY)

    assert agenda.doctor_name == 'Dr. Own'
    assert rows(agenda) == [
        ('09:00–09:30', 'Ann', 'Cough', 'Cancelled'),
        ('09:30–10:00', 'Ann', 'Cough', 'Booked'),
        ('14:00–14:30', 'Ben', 'Rash', 'Booked'),
    ]


def test_the_appointment_under_way_is_marked_and_a_no_show_is_said(clinic):
    doctor, ann, ben = create_doctor(clinic), create_patient(clinic, 'Ann'), create_patient(clinic, 'Ben')
    first = book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    book(clinic, actor_id=ben.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9, 30))
    clinic.clock.set(local(NEXT_MONDAY, 9, 10))
    assert [e.now for e in doctor_agenda(clinic, actor_id=admin_id(clinic), doctor_id=doctor.id, day=NEXT_MONDAY)
            .entries] == [True, False]  # fmt: skip
    mark_no_show(clinic, actor_id=doctor.user_id, appointment_id=first.id)
    agenda = doctor_agenda(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, day=NEXT_MONDAY)
    assert [(e.status_words, e.now) for e in agenda.entries] == [('No-show', False), ('Booked', False)]


def test_the_week_runs_monday_to_sunday_of_the_chosen_day(clinic):
    doctor, ann = create_doctor(clinic), create_patient(clinic, 'Ann')
    book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(days=4), 16, 30))
    book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY + timedelta(days=7), 9))

    week = doctor_week(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, day=NEXT_MONDAY + timedelta(days=3))

    assert [d.day for d in week.days] == [NEXT_MONDAY + timedelta(days=i) for i in range(7)]
    assert [[e.times for e in d.entries] for d in week.days] == [['09:00–09:30'], [], [], [], ['16:30–17:00'], [], []]


async def test_one_recomputation_per_change_and_none_for_another_day_or_doctor(running):
    clinic, boards, _ = running
    doctor, other = create_doctor(clinic, 'Dr. Own'), create_doctor(clinic, 'Dr. Other')
    ann = create_patient(clinic, 'Ann')
    tabs = [await boards.agendas.watch((doctor.id, NEXT_MONDAY)) for _ in range(5)]
    week = await boards.week_agendas.watch((doctor.id, NEXT_MONDAY))
    pushed = []
    tabs[0].changed.subscribe(pushed.append)
    days, weeks = boards.agendas.computations, boards.week_agendas.computations

    book(clinic, actor_id=ann.id, doctor_id=other.id, starts_at=local(NEXT_MONDAY, 9))  # another doctor
    first = book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(TUESDAY, 9))  # another day
    await clinic.hub.drain()
    assert boards.agendas.computations == days and pushed == []
    assert boards.week_agendas.computations == weeks + 1  # Tuesday is in the week

    reschedule(clinic, actor_id=ann.id, appointment_id=first.id, starts_at=local(NEXT_MONDAY, 10))
    await clinic.hub.drain()

    assert boards.agendas.computations == days + 1  # once, for the five tabs
    assert [rows(update.value) for update in pushed] == [[('10:00–10:30', 'Ann', '', 'Booked')]]
    assert all(tab.value is tabs[0].value for tab in tabs)
    assert [len(d.entries) for d in week.value.days[:2]] == [1, 0]  # moved from Tuesday to Monday


async def test_the_highlight_moves_when_the_next_starts_and_goes_when_the_last_ends(running):
    clinic, boards, scheduler = running
    doctor, other = create_doctor(clinic, 'Dr. Own'), create_doctor(clinic, 'Dr. Other')
    ann, ben = create_patient(clinic, 'Ann'), create_patient(clinic, 'Ben')
    book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    book(clinic, actor_id=ben.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9, 30))
    await clinic.hub.drain()
    clinic.clock.set(local(NEXT_MONDAY, 8))
    await scheduler.time_passing.plan_next_appointment_start()
    today = await boards.agendas.watch((doctor.id, NEXT_MONDAY))
    others = await boards.agendas.watch((other.id, NEXT_MONDAY))
    before = others.value

    def under_way():
        return [e.patient_name for e in today.value.entries if e.now]

    def job_time():
        return scheduler.scheduler.get_job('appointment-start').trigger.run_date

    for moment, expected in [((9, 0), ['Ann']), ((9, 30), ['Ben']), ((10, 0), [])]:
        assert job_time() == local(NEXT_MONDAY, *moment)
        clinic.clock.set(local(NEXT_MONDAY, *moment))
        computed = boards.agendas.computations
        await scheduler.time_passing.on_appointment_start()
        assert under_way() == expected
        assert boards.agendas.computations == computed + 1  # the other doctor's agenda is left alone
    assert others.value is before
    assert scheduler.scheduler.get_job('appointment-start') is None


def test_a_cancelled_appointment_stays_on_the_agenda_marked_cancelled(clinic):
    doctor, ann = create_doctor(clinic), create_patient(clinic, 'Ann')
    booked = book(clinic, actor_id=ann.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11))
    cancel(clinic, actor_id=doctor.user_id, appointment_id=booked.id, reason=DOCTOR_UNAVAILABLE)
    agenda = doctor_agenda(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, day=NEXT_MONDAY)
    assert rows(agenda) == [('11:00–11:30', 'Ann', '', 'Cancelled')]
