"""APScheduler on NiceGUI's event loop; jobs are thin entry points into the live boards and services."""

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from .clinic import Clinic
from .live import LiveBoards


def build_scheduler(clinic: Clinic, boards: LiveBoards) -> AsyncIOScheduler:
    """Create the scheduler with the clinic's jobs; start it from the app's start-up hook."""
    scheduler = AsyncIOScheduler(timezone=clinic.tz)
    scheduler.add_job(
        refresh_for_passing_time,
        'cron',
        second=0,
        args=[clinic, boards],
        id='passing-time',
        coalesce=True,
        max_instances=1,
        misfire_grace_time=30,
        replace_existing=True,
    )
    return scheduler


async def refresh_for_passing_time(clinic: Clinic, boards: LiveBoards) -> None:
    """Drop slots that have just passed, and follow the booking horizon at midnight (quietly: no popups)."""
    today, last = clinic.today(), clinic.last_bookable_day()
    await boards.slots.refresh([key for key in boards.slots.watched_keys if key[1] <= today or key[1] >= last])
    await boards.schedules.refresh()
    await boards.appointment_lists.refresh()
