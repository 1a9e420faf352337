"""What time passing does to the pages that are open: a slot that closes, an appointment that starts or ends (the
agenda's highlight moves), a new bookable day at midnight."""

import asyncio
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler

from ..clinic import Clinic
from ..i18n import N_
from ..read_models.agenda import doctors_with_appointments_turning, next_appointment_turn
from ..read_models.free_time import next_slot_closing
from ..read_models.schedules import RECENT, doctors_with_appointments_starting
from .boards import LiveBoards


class TimePassing:
    """Per-process jobs: every process refreshes its own browsers' views as the clock moves on."""

    def __init__(self, clinic: Clinic, boards: LiveBoards, scheduler: BaseScheduler) -> None:
        self.clinic, self.boards, self.scheduler = clinic, boards, scheduler
        self._starts_seen_until: datetime | None = None  # appointments that started up to here are on open pages

    async def start(self) -> None:
        self.scheduler.add_job(
            self.on_new_day,
            'cron',
            hour=0,
            minute=0,
            second=5,
            id='day-rollover',
            name=N_('Open the next bookable day at midnight'),
            replace_existing=True,
        )
        self._starts_seen_until = self.clinic.now()
        await self.plan_next_slot_closing()
        await self.plan_next_appointment_start()

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
            name=N_('Remove the slot that starts next from open pages'),
            misfire_grace_time=None,
        )

    async def on_slot_closing(self) -> None:
        today = self.clinic.today()
        await self.boards.slots.refresh([key for key in self.boards.slots.watched_keys if key[1] == today])
        await self.plan_next_slot_closing()

    async def plan_next_appointment_start(self) -> None:
        """Schedule the single job that fires when the next booked appointment of any doctor starts or ends."""
        starting = await asyncio.to_thread(next_appointment_turn, self.clinic)
        if starting is None:
            if self.scheduler.get_job('appointment-start'):
                self.scheduler.remove_job('appointment-start')
            return
        self.scheduler.add_job(
            self.on_appointment_start,
            'date',
            run_date=starting,
            id='appointment-start',
            replace_existing=True,
            name=N_('Move the appointment that starts next to the Today list of open schedules and agendas'),
            misfire_grace_time=None,
        )

    async def on_appointment_start(self) -> None:
        """Recompute, once per doctor, the open schedules of doctors whose appointments started since last time."""
        now = self.clinic.now()
        since = min(self._starts_seen_until or now - RECENT, now)
        doctors = await asyncio.to_thread(doctors_with_appointments_starting, self.clinic, after=since, until=now)
        turning = await asyncio.to_thread(doctors_with_appointments_turning, self.clinic, after=since, until=now)
        self._starts_seen_until = now
        await self.boards.schedules.refresh([key for key in self.boards.schedules.watched_keys if key in doctors])
        await self._move_agenda_highlights(turning)
        await self.plan_next_appointment_start()

    async def _move_agenda_highlights(self, doctors: set[int]) -> None:
        """Recompute, once each, today's open day and week agendas of the doctors whose appointments turned."""
        today = self.clinic.today()
        monday = today - timedelta(days=today.weekday())
        await self.boards.agendas.refresh(
            [k for k in self.boards.agendas.watched_keys if k[0] in doctors and k[1] == today]
        )
        await self.boards.week_agendas.refresh(
            [k for k in self.boards.week_agendas.watched_keys if k[0] in doctors and k[1] == monday]
        )

    async def on_new_day(self) -> None:
        today, last = self.clinic.today(), self.clinic.last_bookable_day()
        await self.boards.slots.refresh([k for k in self.boards.slots.watched_keys if k[1] < today or k[1] >= last])
        await self.boards.schedules.refresh()
        await self.boards.appointment_lists.refresh()
        await self.boards.agendas.refresh()
        await self.boards.week_agendas.refresh()
        await self.plan_next_slot_closing()
