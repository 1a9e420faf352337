"""The free-time rule as a pure function: where a visit fits in working hours, clear of busy times and the past, in the
clinic's zone."""

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
    visit_minutes: int | None = None,
    before: int = 0,
    after: int = 0,
) -> list[datetime]:
    """Return the UTC start of every time on a local day at which a visit fits.

    Starts lie on the doctor's grid: from the beginning of each working range, every `slot_minutes` in real (UTC)
    time, so a range that crosses a daylight-saving change holds exactly the starts that fit in its real duration.
    A start fits if the visit (`visit_minutes`, the slot length unless given) with `before` and `after` minutes kept
    free around it lies inside working hours and overlaps no busy interval, and `now + min_notice` has not reached
    it (so at 10:00 the 10:00 start is gone).
    """
    step = timedelta(minutes=slot_minutes)
    length = timedelta(minutes=slot_minutes if visit_minutes is None else visit_minutes)
    ahead, behind = timedelta(minutes=before), timedelta(minutes=after)
    earliest = now + min_notice
    ranges = sorted(
        (datetime.combine(day, start, tzinfo=tz).astimezone(UTC), datetime.combine(day, end, tzinfo=tz).astimezone(UTC))
        for start, end in hours
    )
    open_starts, open_ends = merged_intervals(ranges)
    busy_starts, busy_ends = merged_intervals(busy)
    starts: list[datetime] = []
    for range_start, range_end in ranges:
        start = range_start
        while start < range_end:
            kept_from, kept_until = start - ahead, start + length + behind
            if (
                start > earliest
                and inside(kept_from, kept_until, open_starts, open_ends)
                and not _overlaps(kept_from, kept_until, busy_starts, busy_ends)
            ):
                starts.append(start)
            start += step
    return sorted(set(starts))


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


def merged_intervals(busy: Iterable[Interval]) -> tuple[list[datetime], list[datetime]]:
    """The intervals' union as sorted starts and ends (touching intervals join)."""
    starts: list[datetime] = []
    ends: list[datetime] = []
    for start, end in sorted(busy):
        if starts and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def inside(start: datetime, end: datetime, starts: Sequence[datetime], ends: Sequence[datetime]) -> bool:
    """Whether [start, end) lies within one interval of a union made by `merged_intervals`."""
    index = bisect_right(starts, start) - 1  # the last open block that starts at or before `start`
    return index >= 0 and end <= ends[index]


def _overlaps(start: datetime, end: datetime, starts: Sequence[datetime], ends: Sequence[datetime]) -> bool:
    index = bisect_right(ends, start)  # first busy interval that ends after the slot starts
    return index < len(starts) and starts[index] < end
