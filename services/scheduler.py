"""APScheduler on NiceGUI's event loop. Jobs are thin entry points; the rules live in the services they call.

Every process runs the jobs that refresh its own browsers as time passes (`live/time_passing.py`). The
clinic-wide jobs (reminders, closing finished appointments, forgetting stale sign-ins) run only in the process
that leads (see leadership.py): on SQLite the only process, on PostgreSQL one process of the group at a time,
another taking over when it dies. Jobs live in memory: the database is the truth, and a process that starts
leading catches up on whatever fell due meanwhile (`reminders.catch_up_reminders`).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from .clinic import Clinic
from .i18n import N_
from .leadership import Leadership
from .live.boards import LiveBoards
from .live.events import Change, DomainEvent, InboxChanged, MailQueued, ScheduleChanged
from .live.time_passing import TimePassing
from .offer_jobs import OfferJobs
from .outbox import resume_interrupted, send_due
from .reminder_jobs import ReminderJobs
from .sign_ins import forget_stale_sign_ins
from .time_rules import complete_finished_appointments
from .webhook_sender import resume_interrupted_webhooks, send_due_webhooks

log = logging.getLogger(__name__)

OUTBOX_EVERY = timedelta(seconds=2)  # the outbox's round, for retries and for e-mails no event announced


@dataclass(frozen=True, slots=True)
class JobInfo:
    name: str
    next_run: datetime | None


class ClinicScheduler:
    def __init__(self, clinic: Clinic, boards: LiveBoards) -> None:
        self.clinic = clinic
        self.scheduler = AsyncIOScheduler(timezone=clinic.tz, job_defaults={'coalesce': True, 'max_instances': 1})
        self.time_passing = TimePassing(clinic, boards, self.scheduler)
        self.reminders = ReminderJobs(clinic, self.scheduler)
        self.offers = OfferJobs(clinic, self.scheduler)
        self.leadership = Leadership(clinic.db.engine, self._leading_changed)
        self._sending_mail = False
        self._mail_again = False
        self._posting = False
        self._post_again = False
        clinic.hub.subscribe(self._on_event)
        clinic.hub.on_resync(self._resync)

    async def start(self, *, paused: bool = False) -> None:
        if self.scheduler.running:  # NiceGUI's test fixtures may run the start-up hooks twice
            return
        self.scheduler.start(paused=paused)
        await self.time_passing.start()
        await self.leadership.start()

    async def shutdown(self) -> None:
        await self.leadership.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    @property
    def leading(self) -> bool:
        """Whether this process runs the clinic-wide jobs."""
        return self.leadership.leading

    def jobs(self) -> list[JobInfo]:
        """What is scheduled, soonest first (for the admin page)."""
        jobs = [JobInfo(name=job.name, next_run=job.next_run_time) for job in self.scheduler.get_jobs()]
        latest = datetime.max.replace(tzinfo=self.clinic.tz)
        return sorted(jobs, key=lambda j: (j.next_run is None, j.next_run or latest))

    async def _leading_changed(self, leading: bool) -> None:
        if not leading:
            for job_id in self._clinic_wide_jobs():
                if self.scheduler.get_job(job_id):
                    self.scheduler.remove_job(job_id)
            self.reminders.clear()
            self.offers.clear()
            return
        for job_id, (name, job, every) in self._clinic_wide_jobs().items():
            self.scheduler.add_job(
                job,
                'interval',
                seconds=every.total_seconds(),
                id=job_id,
                name=name,
                replace_existing=True,
                next_run_time=datetime.now(self.clinic.tz),
            )
        resumed = await asyncio.to_thread(resume_interrupted, self.clinic)  # the last sender died mid-send
        if resumed:
            log.warning('%s e-mails were being sent when the last sending process stopped; sending them again', resumed)
        posting = await asyncio.to_thread(resume_interrupted_webhooks, self.clinic)
        if posting:
            log.warning('%s webhooks were being posted when the last sender stopped; posting them again', posting)
        await self.reminders.catch_up()
        await self.offers.catch_up()

    async def _resync(self) -> None:
        if self.leading:  # events may have been missed: send what fell due, plan what is to come
            await self.reminders.catch_up()

    async def _on_event(self, event: DomainEvent) -> None:
        if self.leading and isinstance(event, ScheduleChanged):  # freed time goes to the waitlist first
            await self.offers.on_event(event)
        if self.leading and _may_have_written_mail(event):  # send it now, not at the outbox's next round
            await self._send_mail()
        if not isinstance(event, ScheduleChanged):
            return
        if self.leading:  # its transaction may have written webhook deliveries
            await self._post_webhooks()
        if event.partial:
            await self._resync()
        elif event.appointment_ids and self.leading:  # only the leader plans; the others' events reach it too
            await self.reminders.plan(event.appointment_ids)
        if event.change is Change.hours_changed:
            await self.time_passing.plan_next_slot_closing()
        if event.partial or event.change in (Change.booked, Change.moved):  # it may start before the one planned
            await self.time_passing.plan_next_appointment_start()

    def _clinic_wide_jobs(self) -> dict[str, tuple[str, Callable[[], Awaitable[None]], timedelta]]:
        """The interval jobs only the leading process runs, besides reminders: id -> (name, job, how often); the names
        are shown on the admin page (translated there)."""
        return {
            'finished-appointments': (
                N_('Mark finished appointments completed'),
                self._complete_finished_appointments,
                timedelta(minutes=5),
            ),
            'stale-sign-ins': (
                N_('Forget sign-ins older than their cookies'),
                self._forget_stale_sign_ins,
                timedelta(hours=6),
            ),
            'mail-outbox': (N_('Send the e-mails that are due'), self._send_mail, OUTBOX_EVERY),
            'webhook-outbox': (N_('Post the webhooks that are due'), self._post_webhooks, OUTBOX_EVERY),
        }

    async def _complete_finished_appointments(self) -> None:
        await asyncio.to_thread(complete_finished_appointments, self.clinic)

    async def _forget_stale_sign_ins(self) -> None:
        await asyncio.to_thread(forget_stale_sign_ins, self.clinic)

    async def _send_mail(self) -> None:
        """A round of the outbox; asked for while one runs, another follows it (so no e-mail waits for the next)."""
        if not self.clinic.settings.smtp_host:
            return
        if self._sending_mail:
            self._mail_again = True
            return
        self._sending_mail = True
        try:
            while True:
                self._mail_again = False
                await asyncio.to_thread(send_due, self.clinic)
                if not self._mail_again:
                    break
        finally:
            self._sending_mail = False

    async def _post_webhooks(self) -> None:
        """A round of the webhook outbox; asked for while one runs, another follows it."""
        if self._posting:
            self._post_again = True
            return
        self._posting = True
        try:
            while True:
                self._post_again = False
                await asyncio.to_thread(send_due_webhooks, self.clinic)
                if not self._post_again:
                    break
        finally:
            self._posting = False


def _may_have_written_mail(event: DomainEvent) -> bool:
    """Changes whose transactions write e-mails: confirmations (a booking, move or cancellation), a message in
    someone's inbox (reminders), and what says so itself (password and sign-up links)."""
    if isinstance(event, ScheduleChanged):
        return bool(event.appointment_ids) or event.partial
    if isinstance(event, InboxChanged):
        return event.message is not None
    return isinstance(event, MailQueued)
