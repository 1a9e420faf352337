"""What time passing does to the pages that are open: a slot that closes, a new bookable day at midnight."""

import asyncio

from apscheduler.schedulers.base import BaseScheduler

from ..clinic import Clinic
from ..read_models.free_time import next_slot_closing
from .boards import LiveBoards


class TimePassing:
    """Per-process jobs: every process refreshes its own browsers' views as the clock moves on."""

    def __init__(self, clinic: Clinic, boards: LiveBoards, scheduler: BaseScheduler) -> None:
        self.clinic, self.boards, self.scheduler = clinic, boards, scheduler

    async def start(self) -> None:
        self.scheduler.add_job(
            self.on_new_day,
            'cron',
            hour=0,
            minute=0,
            second=5,
            id='day-rollover',
            name='Open the next bookable day at midnight',
            replace_existing=True,
        )
        await self.plan_next_slot_closing()

    async def plan_next_slot_closing(self) -> None:
        """Schedule the single job that fires when the next slot of any doctor closes today."""
        closing = await asyncio.to_thread(next_slot_closing, self.clinic)
        if closing is None:
            if self.scheduler.get_job('slot-closing'):
                self.scheduler.remove_job('slot-closing')
            return
        self.scheduler.add_job(
            self.on_slot_closing,
            'date',
            run_date=closing,
            id='slot-closing',
            replace_existing=True,
            name='Remove the slot that starts next from open pages',
            misfire_grace_time=None,
        )

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
