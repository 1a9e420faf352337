"""Events between app processes over PostgreSQL LISTEN/NOTIFY: they arrive once, stay small, and a lost link
reconnects and asks for a full refresh."""

import asyncio
import json
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from services.live.events import Change, DoctorsChanged, InboxChanged, MailQueued, ScheduleChanged
from services.live.hub import EventHub
from services.live.postgres import PAYLOAD_LIMIT, PostgresTransport, from_wire, payload, to_wire
from tests.waiting import until

MONDAY = date(2026, 11, 30)


def schedule_event(**changes) -> ScheduleChanged:
    values = dict(
        doctor_id=3,
        day_ranges=((MONDAY, MONDAY),),
        change=Change.booked,
        actor_id=7,
        actor_name='Anna Patient',
        origin='tab-1',
        patient_ids=frozenset({7}),
        appointment_ids=frozenset({11}),
    )
    values.update(changes)
    return ScheduleChanged(**values)


def test_events_survive_the_trip_as_json():
    for event in (
        schedule_event(),
        InboxChanged(user_id=4, message='Reminder: tomorrow at 09:00'),
        DoctorsChanged(doctor_id=2),
        MailQueued(),
    ):
        assert from_wire(to_wire(event)) == event


def test_an_event_too_big_for_notify_travels_without_its_ids_and_says_so():
    many = schedule_event(patient_ids=frozenset(range(5000)), appointment_ids=frozenset(range(5000)))
    text_ = payload('me', many)
    assert len(text_.encode()) < PAYLOAD_LIMIT
    received = from_wire(json.loads(text_)['event'])
    assert isinstance(received, ScheduleChanged)
    assert received.partial and received.patient_ids == frozenset() and received.doctor_id == 3


class Process:
    """One app process's hub and transport on the shared database."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        self.transport = PostgresTransport(self.engine)
        self.hub = EventHub(self.transport)
        self.received: list[object] = []
        self.resyncs = 0
        self.hub.subscribe(self.received.append)

        async def resync() -> None:
            self.resyncs += 1

        self.hub.on_resync(resync)

    def close(self) -> None:
        self.hub.stop()
        self.engine.dispose()


@pytest.fixture
async def two_processes(postgres_databases):
    url = postgres_databases.new()
    a, b = Process(url), Process(url)
    loop = asyncio.get_running_loop()
    for process in (a, b):
        process.hub.start(loop)
    await until(lambda: a.hub.linked_to_other_processes and b.hub.linked_to_other_processes)
    yield a, b
    a.close()
    b.close()
    postgres_databases.drop(url)


async def test_an_event_published_in_one_process_arrives_once_in_each(two_processes):
    a, b = two_processes
    event = schedule_event()
    await asyncio.to_thread(a.hub.publish, event)  # services publish from worker threads
    await until(lambda: b.received == [event])
    later = InboxChanged(user_id=4, message='published after the first event had arrived')
    await asyncio.to_thread(b.hub.publish, later)
    # PostgreSQL hands notifications over in commit order: once b's later event has reached a, a's own
    # notification of the first has come back too, and it must have been skipped
    await until(lambda: later in a.received)
    assert a.received == [event, later]
    assert b.received == [event, later]


async def test_a_lost_link_reconnects_and_refreshes_everything(two_processes, postgres_databases):
    a, b = two_processes
    admin = create_engine(postgres_databases.url_of('postgres'), isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN clinic_events%'")
        )
    admin.dispose()
    await until(lambda: a.resyncs == 1 and b.resyncs == 1, timeout=10)
    await until(lambda: a.hub.linked_to_other_processes and b.hub.linked_to_other_processes)
    event = InboxChanged(user_id=4, message='hello')
    await asyncio.to_thread(b.hub.publish, event)
    await until(lambda: a.received == [event])
