"""The scheduler's waitlist work, done by the leading process only: after a change that may free a doctor's time,
offer it to the waitlist; when a held time's answer is due, let it go to the next in line.

Held times live in the database, so a process that starts leading first lets go of those that ran out meanwhile and
then plans the next expiry: expiries survive a restart, and only the leader runs them (on PostgreSQL the conditional
delete in `offers.expire_offers` would make a second run a no-op anyway).
"""

import asyncio
import logging
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

from .clinic import Clinic
from .i18n import N_
from .live.events import Change, ScheduleChanged
from .offers import expire_offers, next_expiry, offer_freed_time

log = logging.getLogger(__name__)

FREES_TIME = frozenset(
    {
        Change.cancelled,
        Change.moved,  # the time it left
        Change.period_removed,
        Change.period_changed,  # a shortened block
        Change.hours_changed,  # longer hours
        Change.offer_ended,  # a held time let go: the next in line
    }
)
JOB = 'waitlist-offer-expiry'
JOB_NAME = N_('Pass unanswered waitlist offers on')  # on the admin page (translated there)
RETRY_AFTER = timedelta(seconds=30)


class OfferJobs:
    def __init__(self, clinic: Clinic, scheduler: BaseScheduler) -> None:
        self.clinic, self.scheduler = clinic, scheduler

    async def on_event(self, event: ScheduleChanged) -> None:
        if event.change in FREES_TIME:
            for first, last in event.day_ranges:
                try:
                    await asyncio.to_thread(
                        offer_freed_time, self.clinic, doctor_id=event.doctor_id, first_day=first, last_day=last
                    )
                except Exception:
                    log.exception('offering freed time of doctor %s to the waitlist failed', event.doctor_id)
        if event.change is Change.offered:
            await self.plan_expiry()

    async def catch_up(self) -> None:
        """Let go of held times that ran out while no process led, and plan the next expiry."""
        await asyncio.to_thread(expire_offers, self.clinic)
        await self.plan_expiry()

    async def plan_expiry(self) -> None:
        due = await asyncio.to_thread(next_expiry, self.clinic)
        if due is None:
            self.clear()
            return
        self.scheduler.add_job(
            self._expire,
            'date',
            run_date=due,
            id=JOB,
            name=JOB_NAME,
            replace_existing=True,
            misfire_grace_time=None,
        )

    def clear(self) -> None:
        if self.scheduler.get_job(JOB):
            self.scheduler.remove_job(JOB)

    async def _expire(self) -> None:
        try:
            await asyncio.to_thread(expire_offers, self.clinic)
        except Exception:  # the database busy or unreachable: try again in a while, not at once in a loop
            log.exception('passing unanswered waitlist offers on failed; trying again in %s', RETRY_AFTER)
            self.scheduler.add_job(
                self._expire,
                'date',
                run_date=datetime.now(self.clinic.tz) + RETRY_AFTER,
                id=JOB,
                name=JOB_NAME,
                replace_existing=True,
                misfire_grace_time=None,
            )
            return
        await self.plan_expiry()
