"""The running clinic: settings, database, event hub and clock, handed to every use case."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from config import Settings

from .clock import Clock
from .database import Database
from .live.hub import EventHub


@dataclass
class Clinic:
    settings: Settings
    db: Database
    hub: EventHub
    clock: Clock

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.tz

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    def last_bookable_day(self) -> date:
        return self.today() + timedelta(days=self.settings.booking_horizon_days)

    @property
    def min_notice(self) -> timedelta:
        return timedelta(minutes=self.settings.min_notice_minutes)

    def language_of(self, chosen: str | None) -> str:
        """The language to write to a person in (e-mails, their inbox): the one they chose, if the clinic offers it,
        else the clinic's default."""
        return (
            chosen
            if chosen is not None and chosen in self.settings.offered_languages
            else self.settings.default_language
        )
