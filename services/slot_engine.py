"""The free-slot rule as a pure function: working hours minus busy times minus the past, in the clinic's zone."""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]


def free_slots(
    *,
    day: date,
    hours: Iterable[tuple[time, time]],
    slot_minutes: int,
    busy: Iterable[Interval],
    now: datetime,
    min_notice: timedelta,
    tz: ZoneInfo,
) -> list[datetime]:
    """Return the UTC start of every free slot on a local day.

    Slots start at the beginning of each working range and step by the slot length in real (UTC) time, so a
    range that crosses a daylight-saving change holds exactly the slots that fit in its real duration; a
    leftover shorter than one slot is dropped. A slot is gone if it overlaps any busy interval, or once
    `now + min_notice` has reached its start (so at 10:00 the 10:00 slot is gone).
    """
    length = timedelta(minutes=slot_minutes)
    earliest = now + min_notice
    starts, ends = _merged(busy)
    slots: list[datetime] = []
    for range_start, range_end in sorted(hours):
        slot = datetime.combine(day, range_start, tzinfo=tz).astimezone(UTC)
        stop = datetime.combine(day, range_end, tzinfo=tz).astimezone(UTC)
        while slot + length <= stop:
            if slot > earliest and not _overlaps(slot, slot + length, starts, ends):
                slots.append(slot)
            slot += length
    return slots


def local_day_bounds(day: date, tz: ZoneInfo) -> Interval:
    """Return the UTC instants at which a local day starts and ends (23 or 25 hours apart on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end


def local_days(starts_at: datetime, ends_at: datetime, tz: ZoneInfo) -> tuple[date, date]:
    """Return the first and last local day that the half-open interval [starts_at, ends_at) touches."""
    first = starts_at.astimezone(tz).date()
    last = (ends_at - timedelta(microseconds=1)).astimezone(tz).date()
    return first, max(first, last)


def _merged(busy: Iterable[Interval]) -> tuple[list[datetime], list[datetime]]:
    starts: list[datetime] = []
    ends: list[datetime] = []
    for start, end in sorted(busy):
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _overlaps(start: datetime, end: datetime, starts: Sequence[datetime], ends: Sequence[datetime]) -> bool:
    index = bisect_right(ends, start)  # first busy interval that ends after the slot starts
    return index < len(starts) and starts[index] < end
