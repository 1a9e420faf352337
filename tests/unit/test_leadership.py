"""Clinic-wide jobs run in exactly one process: on SQLite the only one; on PostgreSQL the one holding the jobs
lock, with another taking over when it goes away. A reminder is never sent twice."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from services import leadership
from services.live.boards import build_live_boards
from services.schedule import parse_ranges, set_working_hours
from services.scheduler import ClinicScheduler
from tests.factories import create_doctor, create_patient, make_clinic
from tests.unit.test_reminders import book_at, reminder_jobs, reminders_in_db
from tests.waiting import until


async def test_the_only_process_on_sqlite_leads(tmp_path):
    clinic = make_clinic(tmp_path)
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start(paused=True)
    try:
        assert scheduler.leading
        assert scheduler.scheduler.get_job('finished-appointments') is not None
    finally:
        await scheduler.shutdown()
        clinic.db.dispose()


@pytest.fixture
def quick_takeover(monkeypatch):
    monkeypatch.setattr(leadership, 'RETRY_SECONDS', 0.2)
    monkeypatch.setattr(leadership, 'CHECK_SECONDS', 0.2)


async def test_one_process_leads_and_another_takes_over_when_it_goes(tmp_path, postgres_databases, quick_takeover):
    url = postgres_databases.new()
    clinics = [make_clinic(tmp_path / name, database_url=url) for name in ('a', 'b')]
    a, b = (ClinicScheduler(clinic, build_live_boards(clinic)) for clinic in clinics)
    try:
        await a.start(paused=True)
        await b.start(paused=True)
        assert a.leading and not b.leading
        assert b.scheduler.get_job('finished-appointments') is None
        await a.shutdown()  # the leading process goes away
        await until(lambda: b.leading)
        assert b.scheduler.get_job('finished-appointments') is not None
    finally:
        await a.shutdown()
        await b.shutdown()
        for clinic in clinics:
            clinic.db.dispose()
        postgres_databases.drop(url)


async def test_two_running_processes_send_a_due_reminder_once(tmp_path, postgres_databases, quick_takeover):
    url = postgres_databases.new()
    real_now = datetime.now(UTC).replace(microsecond=0)
    clinics = [
        make_clinic(tmp_path / name, database_url=url, now=real_now - timedelta(days=2), reminder_lead_minutes=[120])
        for name in ('a', 'b')
    ]
    first = clinics[0]
    doctor, patient = create_doctor(first), create_patient(first)
    everyday = {day: parse_ranges('00:00-23:00', weekday=day) for day in range(7)}
    set_working_hours(first, actor_id=doctor.user_id, doctor_id=doctor.id, hours=everyday, slot_minutes=60)
    start = (first.now() + timedelta(hours=3)).replace(minute=0, second=0).astimezone(first.tz)
    book_at(first, patient, doctor, start)
    schedulers = [ClinicScheduler(clinic, build_live_boards(clinic)) for clinic in clinics]
    try:
        for scheduler in schedulers:
            await scheduler.start(paused=True)
        leader, other = sorted(schedulers, key=lambda s: not s.leading)
        assert leader.leading and not other.leading
        assert len(reminder_jobs(leader)) == 1 and reminder_jobs(other) == {}  # planned by the leader alone
        for clinic in clinics:  # the reminder's time comes (on the real clock it is already past)
            clinic.clock.set(start - timedelta(hours=1))
        for scheduler in schedulers:
            scheduler.scheduler.resume()
        await until(lambda: len(reminders_in_db(first)) == 1)
        await asyncio.sleep(1.0)
        assert len(reminders_in_db(first)) == 1
    finally:
        for scheduler in schedulers:
            await scheduler.shutdown()
        for clinic in clinics:
            clinic.db.dispose()
        postgres_databases.drop(url)


async def test_a_leader_that_loses_its_database_connection_steps_down_and_one_process_leads_again(
    tmp_path, postgres_databases, quick_takeover, caplog
):
    url = postgres_databases.new()
    clinics = [make_clinic(tmp_path / name, database_url=url) for name in ('a', 'b')]
    a, b = (ClinicScheduler(clinic, build_live_boards(clinic)) for clinic in clinics)
    admin = create_engine(postgres_databases.url_of('postgres'), isolation_level='AUTOCOMMIT')
    try:
        await a.start(paused=True)
        await b.start(paused=True)
        assert a.leading and not b.leading
        with admin.connect() as connection:  # the connection holding the jobs lock dies (a network cut, say)
            ended = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    'AND classid = 0 AND objid = :key AND granted'
                ),
                {'key': leadership.JOBS_LOCK},
            ).all()
        assert ended == [(True,)]
        await until(lambda: 'stepping down' in caplog.text)
        for _ in range(40):  # from then on, never two leaders, and soon one again
            assert not (a.leading and b.leading)
            await asyncio.sleep(0.05)
        assert a.leading or b.leading
    finally:
        admin.dispose()
        await a.shutdown()
        await b.shutdown()
        for clinic in clinics:
            clinic.db.dispose()
        postgres_databases.drop(url)
