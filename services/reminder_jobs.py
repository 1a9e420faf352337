"""The scheduler's reminder jobs: one at each upcoming due time, planned from `reminders.py` by the leader."""

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

from .clinic import Clinic
from .reminders import DueReminder, catch_up_reminders, send_reminder, upcoming_reminders

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=1)  # a send that failed (the database busy or unreachable) is tried again


class ReminderJobs:
    def __init__(self, clinic: Clinic, scheduler: BaseScheduler) -> None:
        self.clinic, self.scheduler = clinic, scheduler
        self._planned: dict[int, set[str]] = {}  # appointment id -> its job ids

    async def catch_up(self) -> None:
        """Send what fell due while no process ran the jobs, and plan every reminder still to come."""
        upcoming = await asyncio.to_thread(catch_up_reminders, self.clinic)
        self.clear()
        self._add(upcoming)

    async def plan(self, appointment_ids: Iterable[int]) -> None:
        """Bring the jobs of these appointments in line with them (booked, moved, cancelled)."""
        ids = set(appointment_ids)
        upcoming = await asyncio.to_thread(upcoming_reminders, self.clinic, appointment_ids=ids)
        for appointment_id in ids:
            self._remove(appointment_id)
        self._add(upcoming)

    def clear(self) -> None:
        for appointment_id in list(self._planned):
            self._remove(appointment_id)

    def _add(self, reminders: Iterable[DueReminder]) -> None:
        for reminder in reminders:
            job_id = f'reminder-{reminder.appointment_id}-{reminder.lead_minutes}'
            self.scheduler.add_job(
                self._send,
                'date',
                run_date=reminder.due_at,
                args=[reminder.appointment_id, reminder.lead_minutes],
                id=job_id,
                name=f'Reminder {_lead_words(reminder.lead_minutes)} before appointment #{reminder.appointment_id}',
                replace_existing=True,
                misfire_grace_time=None,
            )
            self._planned.setdefault(reminder.appointment_id, set()).add(job_id)

    def _remove(self, appointment_id: int) -> None:
        for job_id in self._planned.pop(appointment_id, set()):
            if self.scheduler.get_job(job_id):
                self.scheduler.remove_job(job_id)

    async def _send(self, appointment_id: int, lead_minutes: int) -> None:
        log.info('sending the %s reminder of appointment #%s', _lead_words(lead_minutes), appointment_id)
        try:
            await asyncio.to_thread(
                send_reminder, self.clinic, appointment_id=appointment_id, lead_minutes=lead_minutes
            )
        except Exception:
            log.exception('the reminder of appointment #%s failed; trying again soon', appointment_id)
            retry_at = datetime.now(self.clinic.tz) + RETRY_AFTER
            self._add([DueReminder(appointment_id, lead_minutes, retry_at)])
            return
        self._planned.get(appointment_id, set()).discard(f'reminder-{appointment_id}-{lead_minutes}')


def _lead_words(minutes: int) -> str:
    return f'{minutes // 60} h' if minutes % 60 == 0 else f'{minutes} min'
