"""The Python baseline's change (its POST /api/toggle, clicked in Chromium), through the service, as the doctor:
block half an hour of the day, then free it. And a counter of SQL statements, for both Python servers."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event

from services.availability import mark_unavailable, remove_unavailability
from services.clinic import Clinic

from .clinic import BLOCKED


class Toggle:
    """Alternately blocks and frees the same half hour, so every round changes the day's free slots."""

    def __init__(self, clinic: Clinic) -> None:
        self.clinic = clinic
        self.period_id: int | None = None

    def __call__(self, *, actor_id: int, doctor_id: int, day: date) -> str:
        if self.period_id is None:
            period = mark_unavailable(
                self.clinic,
                actor_id=actor_id,
                doctor_id=doctor_id,
                starts_at=datetime.combine(day, BLOCKED[0], tzinfo=UTC),
                ends_at=datetime.combine(day, BLOCKED[1], tzinfo=UTC),
                note='benchmark',
            )
            self.period_id = period.id
            return 'blocked'
        remove_unavailability(self.clinic, actor_id=actor_id, period_id=self.period_id)
        self.period_id = None
        return 'freed'


class QueryCounter:
    """Counts the SQL statements an engine runs."""

    def __init__(self, engine: Any) -> None:
        self.count = 0
        event.listen(engine, 'before_cursor_execute', self._executed)

    def _executed(self, *_: Any) -> None:
        self.count += 1
