"""An appointment that starts moves to the doctor's recent list on open schedules: one job, one recomputation."""

import asyncio

import pytest

from services.booking import book
from services.live.boards import build_live_boards
from services.scheduler import ClinicScheduler
from tests.factories import NEXT_MONDAY, create_doctor, create_patient, local


@pytest.fixture
async def running(clinic):
    """The clinic with events flowing on this test's loop, its boards, and its scheduler started paused."""
    clinic.hub.start(asyncio.get_running_loop())
    boards = build_live_boards(clinic)
    scheduler = ClinicScheduler(clinic, boards)
    await scheduler.start(paused=True)
    yield clinic, boards, scheduler
    await scheduler.shutdown()


def next_start_job(scheduler):
    job = scheduler.scheduler.get_job('appointment-start')
    return job and job.trigger.run_date


async def test_the_job_waits_for_the_next_start_and_moves_earlier_when_an_earlier_one_is_booked(running):
    clinic, _, scheduler = running
    doctor = create_doctor(clinic)
    assert next_start_job(scheduler) is None
    book(clinic, actor_id=create_patient(clinic).id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    await clinic.hub.drain()
    assert next_start_job(scheduler) == local(NEXT_MONDAY, 10)
    book(clinic, actor_id=create_patient(clinic).id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 9))
    await clinic.hub.drain()
    assert next_start_job(scheduler) == local(NEXT_MONDAY, 9)


async def test_at_the_start_each_open_schedule_of_that_doctor_is_recomputed_once(running):
    clinic, boards, scheduler = running
    alice, bob = create_doctor(clinic, 'Dr. Alice'), create_doctor(clinic, 'Dr. Bob')
    first = book(clinic, actor_id=create_patient(clinic).id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 9))
    book(clinic, actor_id=create_patient(clinic).id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 10))
    await clinic.hub.drain()
    tabs = [await boards.schedules.watch(alice.id) for _ in range(3)]
    await boards.schedules.watch(bob.id)
    before = boards.schedules.computations

    clinic.clock.set(local(NEXT_MONDAY, 9))
    await scheduler.time_passing.on_appointment_start()

    assert boards.schedules.computations - before == 1  # Alice's, once for her three tabs; Bob's not at all
    assert [a.id for a in tabs[0].value.recent] == [first.id]
    assert first.id not in [a.id for a in tabs[0].value.appointments]
    assert next_start_job(scheduler) == local(NEXT_MONDAY, 9, 30)  # when the first ends (the agenda moves on)
