"""Reminders: planned from bookings, sent once, never for cancelled or started appointments, and caught up after
downtime (a reminder that fell due while no process ran the jobs is sent once on start, if still ahead)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from models import Notification
from services.booking import book, cancel, reschedule
from services.live.boards import build_live_boards
from services.notifications import inbox, mark_read
from services.outbox import send_due
from services.reminders import send_reminder
from services.scheduler import ClinicScheduler
from tests.factories import NEXT_MONDAY, Mailbox, create_doctor, create_patient, local, make_clinic
from tests.waiting import until


def book_at(clinic, patient, doctor, start):
    return book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=start)


def reminders_in_db(clinic) -> list[Notification]:
    with clinic.db.reading() as session:
        return list(session.exec(select(Notification).where(Notification.kind == 'reminder')))


def reminder_jobs(scheduler: ClinicScheduler) -> dict[str, datetime | None]:
    """The reminders the admin page lists under 'Scheduled jobs': name -> when it runs."""
    return {job.name: job.next_run for job in scheduler.jobs() if job.name.startswith('Reminder')}


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


def test_a_moved_appointment_is_reminded_again_of_its_new_time(clinic):
    doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
    info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    clinic.clock.set(local(NEXT_MONDAY, 8))
    assert send_reminder(clinic, appointment_id=info.id, lead_minutes=120)
    reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 15))
    clinic.clock.set(local(NEXT_MONDAY, 13))
    assert send_reminder(clinic, appointment_id=info.id, lead_minutes=120)
    assert [m.text[-6:] for m in inbox(clinic, actor_id=patient.id).messages] == ['15:00.', '10:00.']


def test_no_reminder_for_a_cancelled_or_started_appointment(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    cancelled = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    cancel(clinic, actor_id=patient.id, appointment_id=cancelled.id)
    started = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 11))
    clinic.clock.set(local(NEXT_MONDAY, 11, 1))
    assert not send_reminder(clinic, appointment_id=cancelled.id, lead_minutes=120)
    assert not send_reminder(clinic, appointment_id=started.id, lead_minutes=120)
    assert reminders_in_db(clinic) == []


def test_a_reminder_is_emailed_once_through_the_outbox_when_smtp_is_configured(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, **mailbox.settings)
        doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
        info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
        clinic.clock.set(local(NEXT_MONDAY - timedelta(days=1), 10))
        assert send_reminder(clinic, appointment_id=info.id, lead_minutes=24 * 60)
        assert not send_reminder(clinic, appointment_id=info.id, lead_minutes=24 * 60)  # once
        send_due(clinic)
        clinic.db.dispose()
    [mail] = [mail for mail in mailbox.to(patient.email) if mail['Subject'].startswith('Reminder')]
    assert mail['Subject'] == 'Reminder: Dr. Alice Smith, Mon 30 Nov 2026, 10:00'


def test_a_clinic_that_reminds_in_the_bell_only_mails_no_reminder(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, email_reminders=False, **mailbox.settings)
        doctor, patient = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic)
        info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
        clinic.clock.set(local(NEXT_MONDAY - timedelta(days=1), 10))
        assert send_reminder(clinic, appointment_id=info.id, lead_minutes=24 * 60)
        send_due(clinic)
        assert len(reminders_in_db(clinic)) == 1  # in the bell
        clinic.db.dispose()
    [booked] = mailbox.to(patient.email)  # the confirmation only
    assert booked['Subject'] == 'Booked: Dr. Alice Smith, Mon 30 Nov 2026, 10:00'


@pytest.fixture
async def scheduler(clinic):
    """The clinic's scheduler, started paused: it plans jobs but runs none."""
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start(paused=True)
    yield scheduler
    await scheduler.shutdown()


async def test_booking_plans_the_reminders_and_cancelling_removes_them(clinic, scheduler):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    await scheduler.reminders.plan({info.id})
    assert reminder_jobs(scheduler) == {
        f'Reminder 24 h before appointment #{info.id}': local(NEXT_MONDAY - timedelta(days=1), 10),
        f'Reminder 2 h before appointment #{info.id}': local(NEXT_MONDAY, 8),
    }
    cancel(clinic, actor_id=patient.id, appointment_id=info.id)
    await scheduler.reminders.plan({info.id})
    assert reminder_jobs(scheduler) == {}


async def test_a_lead_already_past_at_booking_time_is_not_planned(clinic, scheduler):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    clinic.clock.set(local(NEXT_MONDAY, 8, 30))
    info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))  # 90 minutes ahead: the 2 h lead is gone
    await scheduler.reminders.plan({info.id})
    assert reminder_jobs(scheduler) == {}


async def test_moving_an_appointment_moves_its_reminders(clinic, scheduler):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    await scheduler.reminders.plan({info.id})
    tuesday = NEXT_MONDAY + timedelta(days=1)
    reschedule(clinic, actor_id=patient.id, appointment_id=info.id, starts_at=local(tuesday, 15))
    await scheduler.reminders.plan({info.id})
    assert sorted(reminder_jobs(scheduler).values()) == [local(NEXT_MONDAY, 15), local(tuesday, 13)]


@pytest.mark.parametrize(
    ('downtime', 'sent'),
    [(timedelta(hours=1), 1), (timedelta(hours=1, minutes=59), 1), (timedelta(hours=2), 0), (timedelta(hours=4), 0)],
    ids=['due during downtime', 'due a minute before the start', 'appointment starting', 'appointment over'],
)
async def test_a_reminder_missed_during_downtime_is_sent_once_on_start_if_still_ahead(
    tmp_path, database_url, downtime, sent
):
    clinic = make_clinic(tmp_path, database_url=database_url, reminder_lead_minutes=[120])
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))

    first = ClinicScheduler(clinic, build_live_boards(clinic))
    await first.start(paused=True)  # the app plans the reminder, then goes down before it is due
    assert list(reminder_jobs(first).values()) == [local(NEXT_MONDAY, 8)]
    await first.shutdown()

    clinic.clock.set(local(NEXT_MONDAY, 8) + downtime)  # the reminder's time passed while the app was down
    for _restart in range(2):  # a restart sends it; one more restart sends nothing again
        again = ClinicScheduler(clinic, build_live_boards(clinic))
        await again.start(paused=True)  # catching up does not wait for the scheduler to run anything
        await again.shutdown()
        assert len(reminders_in_db(clinic)) == sent
        assert reminder_jobs(again) == {}
    if sent:
        assert inbox(clinic, actor_id=patient.id).messages[0].text.endswith(f'{info.starts_at:%Y}, 10:00.')


async def test_of_several_leads_missed_only_the_latest_is_sent(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))  # leads 24 h and 2 h: due Sunday 10:00, Monday 8:00
    clinic.clock.set(local(NEXT_MONDAY, 9))  # down since before both
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start(paused=True)
    await scheduler.shutdown()
    [reminder] = reminders_in_db(clinic)
    assert reminder.dedupe_key.endswith(':120')


async def test_a_planned_reminder_job_sends_the_reminder_when_it_runs(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book_at(clinic, patient, doctor, local(NEXT_MONDAY, 10))
    scheduler = ClinicScheduler(clinic, build_live_boards(clinic))
    await scheduler.start()
    try:
        assert reminders_in_db(clinic) == []  # not due yet on the clinic's clock: planned, not caught up
        clinic.clock.set(local(NEXT_MONDAY, 8))  # its time comes; the scheduler runs on the real clock, so
        [job] = [job for job in scheduler.scheduler.get_jobs() if job.name.startswith('Reminder 2 h')]
        job.modify(next_run_time=datetime.now(UTC))  # the job is told its time has come too
        scheduler.scheduler.wakeup()
        await until(lambda: len(reminders_in_db(clinic)) == 1)
    finally:
        await scheduler.shutdown()
