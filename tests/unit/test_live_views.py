"""The live boards compute each watched view once per change, and only the ones a change touches."""

import asyncio
from datetime import timedelta

import pytest

from services.availability import InTheWay, mark_unavailable
from services.booking import book
from services.closures import close_clinic
from services.live.boards import build_live_boards
from services.visit_types import add_visit_type
from tests.factories import NEXT_MONDAY, admin_id, create_doctor, create_patient, local


async def settle(clinic) -> None:
    await clinic.hub.drain()


@pytest.fixture
async def live(clinic):
    """The clinic with its events flowing through the in-process hub on this test's loop."""
    clinic.hub.start(asyncio.get_running_loop())
    return clinic


async def test_one_computation_per_change_however_many_browsers_watch(live):
    clinic = live
    boards = build_live_boards(clinic)
    alice, bob = create_doctor(clinic, 'Dr. Alice'), create_doctor(clinic, 'Dr. Bob')
    watched = [await boards.slots.watch((alice.id, NEXT_MONDAY)) for _ in range(50)]
    other_day = await boards.slots.watch((alice.id, NEXT_MONDAY + timedelta(days=1)))
    other_doctor = await boards.slots.watch((bob.id, NEXT_MONDAY))
    received = {'monday': 0, 'other day': 0, 'other doctor': 0}
    watched[0].changed.subscribe(lambda update: received.__setitem__('monday', received['monday'] + 1))
    other_day.changed.subscribe(lambda: received.__setitem__('other day', received['other day'] + 1))
    other_doctor.changed.subscribe(lambda: received.__setitem__('other doctor', received['other doctor'] + 1))
    before = boards.slots.computations

    mark_unavailable(
        clinic,
        actor_id=alice.user_id,
        doctor_id=alice.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 11, 30),
    )
    await settle(clinic)

    assert boards.slots.computations - before == 1
    assert received == {'monday': 1, 'other day': 0, 'other doctor': 0}
    assert watched[0].value.slots[0].label == '11:30'
    assert all(view is watched[0] for view in watched)


async def test_a_change_that_does_not_alter_the_slots_pushes_nothing(live):
    clinic = live
    boards = build_live_boards(clinic)
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    view = await boards.slots.watch((doctor.id, NEXT_MONDAY))
    updates = []
    view.changed.subscribe(updates.append)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    await settle(clinic)
    assert len(updates) == 1 and updates[0].event.change.value == 'booked'
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 12),
        ends_at=local(NEXT_MONDAY, 13),
    )  # lunch break: no slot there anyway
    await settle(clinic)
    assert len(updates) == 1


async def test_views_are_dropped_when_the_last_watcher_leaves(clinic):
    boards = build_live_boards(clinic)
    doctor = create_doctor(clinic)
    views = [await boards.slots.watch((doctor.id, NEXT_MONDAY + timedelta(days=i % 3))) for i in range(3000)]
    assert len(boards.slots.watched_keys) == 3
    for view in views:
        boards.slots.release(view)
    assert boards.slots.watched_keys == []


async def test_a_day_is_computed_once_per_change_for_all_of_a_doctors_kinds_and_a_closure_once_per_doctor(live):
    clinic = live
    boards = build_live_boards(clinic)
    alice, bob, patient = create_doctor(clinic, 'Dr. Alice'), create_doctor(clinic, 'Dr. Bob'), create_patient(clinic)
    long = add_visit_type(clinic, actor_id=alice.user_id, doctor_id=alice.id, name='Long visit', minutes=60)
    add_visit_type(clinic, actor_id=alice.user_id, doctor_id=alice.id, name='Check', minutes=15, after=15)
    await settle(clinic)
    alices = [await boards.slots.watch((alice.id, NEXT_MONDAY)) for _ in range(20)]
    bobs = await boards.slots.watch((bob.id, NEXT_MONDAY))
    before = boards.slots.computations

    book(clinic, actor_id=patient.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 9), type_id=long.id)
    await settle(clinic)

    assert boards.slots.computations - before == 1  # three kinds, twenty watchers: one computation
    assert [len(entry.slots) for entry in alices[0].value.by_type] == [12, 10, 12]  # 30, 60, 15+15 minutes
    assert all(entry.slots[0].label == '10:00' for entry in alices[0].value.by_type)

    before = boards.slots.computations
    close_clinic(
        clinic,
        actor_id=admin_id(clinic),
        name='Holiday',
        starts_at=local(NEXT_MONDAY, 0),
        ends_at=local(NEXT_MONDAY + timedelta(days=1), 0),
        in_the_way=InTheWay.keep,
    )
    await settle(clinic)
    assert boards.slots.computations - before == 2  # once per covered doctor's watched day
    assert alices[0].value.message == bobs.value.message == 'Clinic closed: Holiday'
