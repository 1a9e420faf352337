"""APScheduler on NiceGUI's event loop. Jobs are thin entry points; the rules live in the services they call.

Every process runs the jobs that refresh its own browsers (slot boundaries, midnight). The clinic-wide jobs
(reminders, closing finished appointments) run only in the process that leads (see leadership.py): on SQLite
the only process, on PostgreSQL one process of the group at a time, another taking over when it dies.

Reminders are kept in an SQLAlchemy job store on the clinic's database, so a restart or a takeover loses none; a
reminder whose time passed meanwhile runs once when the job store is opened (no grace limit) and decides for
itself whether it is still worth sending (a unique key makes a second copy impossible).
"""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from nicegui import run
from sqlmodel import col, select

from models import Appointment, AppointmentStatus

from .clinic import Clinic
from .events import Change, DomainEvent, ScheduleChanged
from .leadership import Leadership
from .live import LiveBoards
from .notifications import reminder_due_times, send_reminder
from .sign_ins import forget_stale_sign_ins
from .time_rules import complete_finished_appointments, next_slot_closing

log = logging.getLogger(__name__)
REMINDERS = 'reminders'  # the persistent job store
_running: 'ClinicScheduler | None' = None  # how jobs loaded from the job store find the running clinic


@dataclass(frozen=True, slots=True)
class JobInfo:
    name: str
    next_run: datetime | None


class ClinicScheduler:
    def __init__(self, clinic: Clinic, boards: LiveBoards) -> None:
        self.clinic, self.boards = clinic, boards
        self.scheduler = AsyncIOScheduler(
            timezone=clinic.tz,
            jobstores={'default': MemoryJobStore()},  # the reminders' store joins while this process leads
            job_defaults={'coalesce': True, 'max_instances': 1},
        )
        self.leadership = Leadership(clinic.db.engine, self._leading_changed)
        clinic.hub.subscribe(self._on_event)
        clinic.hub.on_resync(self._resync)

    async def start(self, *, paused: bool = False) -> None:
        global _running  # one running clinic per process; see the module docstring
        _running = self
        if self.scheduler.running:
            return
        self.scheduler.start(paused=paused)
        self.scheduler.add_job(
            day_rollover_job,
            'cron',
            hour=0,
            minute=0,
            second=5,
            id='day-rollover',
            name='Open the next bookable day at midnight',
            replace_existing=True,
        )
        await self.plan_next_slot_closing()
        await self.leadership.start()

    async def shutdown(self) -> None:
        await self.leadership.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    @property
    def leading(self) -> bool:
        """Whether this process runs the clinic-wide jobs."""
        return self.leadership.leading

    async def _leading_changed(self, leading: bool) -> None:
        if not leading:
            for job_id in CLINIC_WIDE_JOBS:
                if self.scheduler.get_job(job_id):
                    self.scheduler.remove_job(job_id)
            if REMINDERS in self.scheduler._jobstores:  # APScheduler 3 has no public test for a job store
                self.scheduler.remove_jobstore(REMINDERS, shutdown=False)  # keep the clinic's engine
            return
        self.scheduler.add_jobstore(
            SQLAlchemyJobStore(engine=self.clinic.db.engine, tablename='scheduled_jobs'), alias=REMINDERS
        )
        for job_id, (name, job, every) in CLINIC_WIDE_JOBS.items():
            self.scheduler.add_job(
                job,
                'interval',
                seconds=every.total_seconds(),
                id=job_id,
                name=name,
                replace_existing=True,
                next_run_time=datetime.now(self.clinic.tz),
            )
        await run.io_bound(self.plan_all_reminders)

    async def _resync(self) -> None:
        if self.leading:  # events may have been missed: make sure every appointment has its reminders
            await run.io_bound(self.plan_all_reminders)

    def jobs(self) -> list[JobInfo]:
        """What is scheduled, soonest first (for the admin page)."""
        jobs = [JobInfo(name=job.name, next_run=job.next_run_time) for job in self.scheduler.get_jobs()]
        return sorted(
            jobs, key=lambda j: (j.next_run is None, j.next_run or datetime.max.replace(tzinfo=self.clinic.tz))
        )

    async def plan_next_slot_closing(self) -> None:
        """Schedule the single job that fires when the next slot of any doctor closes today."""
        closing = await run.io_bound(next_slot_closing, self.clinic)
        if closing is None:
            if self.scheduler.get_job('slot-closing'):
                self.scheduler.remove_job('slot-closing')
            return
        self.scheduler.add_job(
            slot_closing_job,
            'date',
            run_date=closing,
            id='slot-closing',
            replace_existing=True,
            name='Remove the slot that starts next from open pages',
            misfire_grace_time=None,
        )

    def plan_reminders(self, appointment_ids: frozenset[int] | set[int]) -> None:
        """Add, move or remove the reminder jobs of these appointments to match them (blocking; run in a thread).

        Only the leading process plans; the events of the others reach it too."""
        if not self.leading:
            return
        leads = self.clinic.settings.reminder_lead_minutes
        with self.clinic.db.reading() as session:
            rows = {a.id: a for a in session.exec(select(Appointment).where(col(Appointment.id).in_(appointment_ids)))}
        now = self.clinic.now()
        for appointment_id in appointment_ids:
            appointment = rows.get(appointment_id)
            for lead, send_at in reminder_due_times(appointment.starts_at if appointment else now, leads):
                job_id = f'reminder-{appointment_id}-{lead}'
                wanted = appointment is not None and appointment.status is AppointmentStatus.booked and send_at > now
                if wanted:
                    self.scheduler.add_job(
                        reminder_job,
                        'date',
                        run_date=send_at,
                        args=[appointment_id, lead],
                        id=job_id,
                        name=f'Reminder {_lead_words(lead)} before appointment #{appointment_id}',
                        jobstore=REMINDERS,
                        replace_existing=True,
                        misfire_grace_time=None,
                    )
                elif self.scheduler.get_job(job_id, jobstore=REMINDERS):
                    self.scheduler.remove_job(job_id, jobstore=REMINDERS)

    def plan_all_reminders(self) -> None:
        """Make sure every future booked appointment has its reminders (after a crash between commit and event)."""
        with self.clinic.db.reading() as session:
            ids = set(
                session.exec(
                    select(Appointment.id).where(
                        Appointment.status == AppointmentStatus.booked, col(Appointment.starts_at) > self.clinic.now()
                    )
                )
            )
        ids.discard(None)
        self.plan_reminders({i for i in ids if i is not None})

    async def on_slot_closing(self) -> None:
        today = self.clinic.today()
        await self.boards.slots.refresh([key for key in self.boards.slots.watched_keys if key[1] == today])
        await self.plan_next_slot_closing()

    async def on_new_day(self) -> None:
        today, last = self.clinic.today(), self.clinic.last_bookable_day()
        await self.boards.slots.refresh([k for k in self.boards.slots.watched_keys if k[1] < today or k[1] >= last])
        await self.boards.schedules.refresh()
        await self.boards.appointment_lists.refresh()
        await self.plan_next_slot_closing()

    async def _on_event(self, event: DomainEvent) -> None:
        if not isinstance(event, ScheduleChanged):
            return
        if event.partial:
            await self._resync()
        elif event.appointment_ids:
            await run.io_bound(self.plan_reminders, event.appointment_ids)
        if event.change is Change.hours_changed:
            await self.plan_next_slot_closing()


def _lead_words(minutes: int) -> str:
    return f'{minutes // 60} h' if minutes % 60 == 0 else f'{minutes} min'


async def slot_closing_job() -> None:
    if _running:
        await _running.on_slot_closing()


async def day_rollover_job() -> None:
    if _running:
        await _running.on_new_day()


async def finished_appointments_job() -> None:
    if _running:
        await run.io_bound(complete_finished_appointments, _running.clinic)


async def stale_sign_ins_job() -> None:
    if _running:
        await run.io_bound(forget_stale_sign_ins, _running.clinic)


async def reminder_job(appointment_id: int, lead_minutes: int) -> None:
    if _running:
        await run.io_bound(send_reminder, _running.clinic, appointment_id=appointment_id, lead_minutes=lead_minutes)


# The interval jobs only the leading process runs (besides the reminders): id -> (name, job, how often).
CLINIC_WIDE_JOBS: dict[str, tuple[str, Callable[[], Awaitable[None]], timedelta]] = {
    'finished-appointments': ('Mark finished appointments completed', finished_appointments_job, timedelta(minutes=5)),
    'stale-sign-ins': ('Forget sign-ins older than their cookies', stale_sign_ins_job, timedelta(hours=6)),
}
