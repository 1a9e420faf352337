"""Reminders: planned from bookings, sent once, never for cancelled or started appointments, and kept across
restarts in the database's job store (a reminder missed while the app was down is sent once on start)."""

import asyncio
import socket
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import Notification
from services.booking import cancel
from services.live import build_live_boards
from services.notifications import inbox, mark_read, send_reminder
from services.schedule import parse_ranges, set_working_hours
from services.scheduler import REMINDERS, ClinicScheduler
from tests.factories import NEXT_MONDAY, create_doctor, create_patient, local, make_clinic


def book_at(clinic, patient, doctor, start):
    from services.booking import book

    return book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=start)


def reminders_in_db(clinic) -> list[Notification]:
    with clinic.db.reading() as session:
        return list(session.exec(select(Notification).where(Notification.kind == 'reminder')))


def test_a_reminder_is_sent_once_into_the_inbox(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
    info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    clinic.clock.set(local(NEXT_MONDAY, 8))
    assert send_reminder(clinic, appointment_id=info.id, lead_minutes=120)
    assert not send_reminder(clinic, appointment_id=info.id, lead_minutes=120)  # a retry, or another process
    [message] = inbox(clinic, actor_id=patient.id).messages
    assert message.text == 'Reminder: your appointment with Dr. Alice Smith is on Mon 30 Nov 2026, 10:00.'
    assert inbox(clinic, actor_id=patient.id).unread == 1
    mark_read(clinic, actor_id=patient.id)
    assert inbox(clinic, actor_id=patient.id).unread == 0


def test_no_reminder_for_a_cancelled_or_started_appointment(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    cancelled = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    cancel(clinic, actor_id=patient.id, appointment_id=cancelled.id)
    started = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 11))
    clinic.clock.set(local(NEXT_MONDAY, 11, 1))
    assert not send_reminder(clinic, appointment_id=cancelled.id, lead_minutes=120)
    assert not send_reminder(clinic, appointment_id=started.id, lead_minutes=120)
    assert reminders_in_db(clinic) == []


def test_a_reminder_is_emailed_when_smtp_is_configured(tmp_path, database_url):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    received = []

    class Inbox(Sink):
        async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
            received.append(envelope)
            return '250 OK'

    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    server = Controller(Inbox(), hostname='127.0.0.1', port=port)
    server.start()
    try:
        clinic = make_clinic(
            tmp_path,
            database_url=database_url,
            smtp_host='127.0.0.1',
            smtp_port=port,
            smtp_starttls=False,
            smtp_from='clinic@test.example',
        )
        doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
        info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
        clinic.clock.set(local(NEXT_MONDAY - timedelta(days=1), 10))
        assert send_reminder(clinic, appointment_id=info.id, lead_minutes=24 * 60)
    finally:
        server.stop()
    [mail] = received
    assert mail.rcpt_tos == [patient.email]
    assert 'Reminder: Dr. Alice Smith, Mon 30 Nov 2026, 10:00' in mail.content.decode()


async def test_booking_plans_the_reminders_and_cancelling_removes_them(clinic):
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start(paused=True)
    try:
        doctor, patient = create_doctor(clinic), create_patient(clinic)
        info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
        scheduler.plan_reminders({info.id})
        jobs = {job.id: job for job in scheduler.scheduler.get_jobs(jobstore=REMINDERS)}
        assert {job_id: job.trigger.run_date for job_id, job in jobs.items()} == {
            f'reminder-{info.id}-1440': local(NEXT_MONDAY - timedelta(days=1), 10),
            f'reminder-{info.id}-120': local(NEXT_MONDAY, 8),
        }
        assert all(job.misfire_grace_time is None and job.coalesce for job in jobs.values())
        cancel(clinic, actor_id=patient.id, appointment_id=info.id)
        scheduler.plan_reminders({info.id})
        assert scheduler.scheduler.get_jobs(jobstore=REMINDERS) == []
    finally:
        await scheduler.shutdown()


async def test_a_lead_already_past_at_booking_time_is_not_planned(clinic):
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start(paused=True)
    try:
        doctor, patient = create_doctor(clinic), create_patient(clinic)
        clinic.clock.set(local(NEXT_MONDAY, 8, 30))
        info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))  # 90 minutes ahead: the 2 h lead is gone
        scheduler.plan_reminders({info.id})
        assert scheduler.scheduler.get_jobs(jobstore=REMINDERS) == []
    finally:
        await scheduler.shutdown()


@pytest.mark.parametrize(('downtime', 'sent'), [(timedelta(hours=1), 1), (timedelta(hours=4), 0)])
async def test_a_reminder_missed_during_downtime_is_sent_once_on_start_if_still_ahead(
    tmp_path, database_url, downtime, sent
):
    # The scheduler fires on the real clock, so the clinic's clock is set two days back: the reminder's time is
    # then in the real past (missed) while the appointment lies ahead or behind on the clinic's clock as we choose.
    real_now = datetime.now(UTC).replace(microsecond=0)
    clinic = make_clinic(
        tmp_path, database_url=database_url, now=real_now - timedelta(days=2), reminder_lead_minutes=[120]
    )
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    everyday = {day: parse_ranges('00:00-23:00', weekday=day) for day in range(7)}
    set_working_hours(clinic, actor_id=doctor.user_id, doctor_id=doctor.id, hours=everyday, slot_minutes=60)
    start = (clinic.now() + timedelta(hours=3)).replace(minute=0, second=0).astimezone(clinic.tz)
    info = book_at(clinic, patient, doctor, start)

    first = ClinicScheduler(clinic, build_live_boards(clinic))
    await first.start(paused=True)  # the app plans the reminder, then goes down before it is due
    first.plan_reminders({info.id})
    await first.shutdown()

    clinic.clock.set(start - timedelta(hours=2) + downtime)  # the reminder time passed while the app was down
    second = ClinicScheduler(clinic, build_live_boards(clinic))
    await second.start()
    try:
        for _ in range(100):
            if not second.scheduler.get_jobs(jobstore=REMINDERS):
                break
            await asyncio.sleep(0.05)  # wait for the scheduler to run the due job (a condition, with a timeout)
        assert second.scheduler.get_jobs(jobstore=REMINDERS) == []
        await asyncio.sleep(0)
        for _ in range(100):
            if len(reminders_in_db(clinic)) >= sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await second.shutdown()
    third = ClinicScheduler(clinic, build_live_boards(clinic))  # and one more restart sends nothing again
    await third.start()
    await third.shutdown()
    assert len(reminders_in_db(clinic)) == sent


async def test_moving_an_appointment_moves_its_reminders(clinic):
    from services.booking import reschedule

    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start(paused=True)
    try:
        doctor, patient = create_doctor(clinic), create_patient(clinic)
        info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
        scheduler.plan_reminders({info.id})
        tuesday = NEXT_MONDAY + timedelta(days=1)
        reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(tuesday, 15))
        scheduler.plan_reminders({info.id})
        runs = sorted(job.trigger.run_date for job in scheduler.scheduler.get_jobs(jobstore=REMINDERS))
        assert runs == [local(NEXT_MONDAY, 15), local(tuesday, 13)]
    finally:
        await scheduler.shutdown()
