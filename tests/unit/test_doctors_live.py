"""A doctor the front desk adds reaches open booking pages: the event after the commit, its trip between processes,
and the doctors board that recomputes the list (with the weekdays each doctor works) once for every page."""

import asyncio

from services.accounts import create_doctor
from services.live.boards import CLINIC, build_live_boards
from services.live.events import DoctorsChanged
from services.live.postgres import from_wire, payload, to_wire
from services.schedule import parse_ranges, set_working_hours
from tests.factories import admin_id, published
from tests.factories import create_doctor as make_doctor
from tests.waiting import until


def add_dana(clinic):
    return create_doctor(
        clinic,
        actor_id=admin_id(clinic),
        email='dana@clinic.example',
        full_name='Dr. Dana Wu',
        specialty='Cardiology',
        password='a-long-password-1',
    )


def test_creating_a_doctor_publishes_after_the_commit(clinic):
    dana = add_dana(clinic)
    assert published(clinic)[-1] == DoctorsChanged(doctor_id=dana.id)


def test_the_doctors_event_survives_the_trip_between_processes():
    event = DoctorsChanged(doctor_id=5)
    assert from_wire(to_wire(event)) == event
    assert len(payload('me', event)) < 100


async def test_the_doctors_board_follows_new_doctors_and_their_working_weekdays(clinic):
    clinic.hub.start(asyncio.get_running_loop())
    boards = build_live_boards(clinic)
    smith = make_doctor(clinic, 'Dr. Smith')
    view = await boards.doctors.watch(CLINIC)
    assert [d.full_name for d in view.value.doctors] == ['Dr. Smith']
    assert view.value.weekdays_of(smith.id) == frozenset(range(5))  # the clinic's standard weekday hours
    updates = []
    view.changed.subscribe(updates.append)

    await asyncio.to_thread(add_dana, clinic)
    await until(lambda: [d.full_name for d in view.value.doctors] == ['Dr. Dana Wu', 'Dr. Smith'])

    hours = {0: parse_ranges('09:00-12:00', weekday=0), 2: parse_ranges('09:00-12:00', weekday=2)}
    await asyncio.to_thread(
        set_working_hours, clinic, actor_id=smith.user_id, doctor_id=smith.id, hours=hours, slot_minutes=30
    )
    await until(lambda: view.value.weekdays_of(smith.id) == frozenset({0, 2}))
    assert len(updates) == 2


async def test_a_new_doctor_reaches_the_other_process_over_postgres(postgres_databases):
    from sqlalchemy import create_engine

    from services.live.hub import EventHub
    from services.live.postgres import PostgresTransport

    url = postgres_databases.new()
    engines = [create_engine(url), create_engine(url)]
    hubs = [EventHub(PostgresTransport(engine)) for engine in engines]
    received: list[object] = []
    hubs[1].subscribe(received.append)
    try:
        for hub in hubs:
            hub.start(asyncio.get_running_loop())
        await until(lambda: all(hub.linked_to_other_processes for hub in hubs))
        await asyncio.to_thread(hubs[0].publish, DoctorsChanged(doctor_id=9))
        await until(lambda: received == [DoctorsChanged(doctor_id=9)])
    finally:
        for hub, engine in zip(hubs, engines, strict=True):
            hub.stop()
            engine.dispose()
        postgres_databases.drop(url)
