"""Property test: for random hours, periods and bookings, the engine returns exactly the free slots that a plain
minute-by-minute reference finds, and every one of them is on the grid, inside hours and clear of anything busy."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.slot_engine import free_slots

ZONES = [ZoneInfo('Europe/Berlin'), ZoneInfo('America/New_York'), ZoneInfo('UTC')]
DAYS = [date(2026, 11, 30), date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1)]


@st.composite
def schedules(draw):
    tz = draw(st.sampled_from(ZONES))
    day = draw(st.sampled_from(DAYS))
    slot = draw(st.sampled_from([10, 15, 20, 30, 45, 60]))
    cuts = sorted(draw(st.lists(st.integers(0, 24 * 12 - 1).map(lambda m: m * 5), max_size=6, unique=True)))
    hours = [
        (time(a // 60, a % 60), time(b // 60, b % 60)) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b
    ]
    day_start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    busy = [
        (day_start + timedelta(minutes=s), day_start + timedelta(minutes=s + length))
        for s, length in draw(st.lists(st.tuples(st.integers(-120, 26 * 60), st.integers(1, 300)), max_size=8))
    ]
    now = day_start + timedelta(minutes=draw(st.integers(-60, 25 * 60)))
    notice = timedelta(minutes=draw(st.sampled_from([0, 0, 30, 120])))
    return dict(day=day, hours=hours, slot_minutes=slot, busy=busy, now=now, min_notice=notice, tz=tz)


def reference(day, hours, slot_minutes, busy, now, min_notice, tz):
    """The rule spelled out the slow way: walk each range minute by minute."""
    slots = []
    for start, end in sorted(hours):
        begin = datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
        stop = datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
        candidate = begin
        while candidate + timedelta(minutes=slot_minutes) <= stop:
            minutes = [candidate + timedelta(minutes=m) for m in range(slot_minutes)]
            clear = all(not (b_start <= minute < b_end) for minute in minutes for b_start, b_end in busy)
            if clear and candidate > now + min_notice:
                slots.append(candidate)
            candidate += timedelta(minutes=slot_minutes)
    return slots


BERLIN = ZoneInfo('Europe/Berlin')
TOUCHING = dict(  # a booking that starts exactly where a slot ends must not take that slot
    day=DAYS[0],
    hours=[(time(9), time(10))],
    slot_minutes=30,
    now=datetime(2026, 11, 29, tzinfo=UTC),
    busy=[(datetime(2026, 11, 30, 8, 30, tzinfo=UTC), datetime(2026, 11, 30, 8, 40, tzinfo=UTC))],
    min_notice=timedelta(0),
    tz=BERLIN,
)


@settings(max_examples=500, deadline=None)
@given(schedules())
@example(TOUCHING)
def test_the_engine_matches_the_minute_by_minute_reference(case):
    assert free_slots(**case) == reference(**case)


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_every_slot_is_on_the_grid_inside_hours_and_clear_of_busy_time(case):
    length = timedelta(minutes=case['slot_minutes'])
    for slot in free_slots(**case):
        assert slot > case['now'] + case['min_notice']
        assert all(not (b_start < slot + length and slot < b_end) for b_start, b_end in case['busy'])
        ranges = [
            (
                datetime.combine(case['day'], s, tzinfo=case['tz']).astimezone(UTC),
                datetime.combine(case['day'], e, tzinfo=case['tz']).astimezone(UTC),
            )
            for s, e in case['hours']
        ]
        assert any(
            start <= slot and slot + length <= stop and (slot - start) % length == timedelta(0)
            for start, stop in ranges
        )
