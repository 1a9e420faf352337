"""Property test: for random hours, periods, bookings, visit lengths and buffers, the engine returns exactly the starts
that a plain minute-by-minute reference finds, and every one of them is on the grid, with the visit and its buffers
inside hours and clear of anything busy."""

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
    shape = draw(
        st.one_of(
            st.just({}),  # the doctor's own slot length, no buffers: what every clinic had before types
            st.fixed_dictionaries(
                {
                    'visit_minutes': st.integers(1, 48).map(lambda m: m * 5),
                    'before': st.sampled_from([0, 0, 5, 10, 15, 30]),
                    'after': st.sampled_from([0, 0, 5, 10, 15, 30]),
                }
            ),
        )
    )
    return dict(day=day, hours=hours, slot_minutes=slot, busy=busy, now=now, min_notice=notice, tz=tz, **shape)


def reference(day, hours, slot_minutes, busy, now, min_notice, tz, visit_minutes=None, before=0, after=0):
    """The rule spelled out the slow way: every grid start of each range, its kept minutes checked one by one."""
    length = slot_minutes if visit_minutes is None else visit_minutes
    ranges = [
        (datetime.combine(day, s, tzinfo=tz).astimezone(UTC), datetime.combine(day, e, tzinfo=tz).astimezone(UTC))
        for s, e in hours
    ]
    starts = set()
    for begin, stop in ranges:
        candidate = begin
        while candidate < stop:
            kept = [candidate + timedelta(minutes=m) for m in range(-before, length + after)]
            working = all(any(r_start <= minute < r_end for r_start, r_end in ranges) for minute in kept)
            clear = all(not (b_start <= minute < b_end) for minute in kept for b_start, b_end in busy)
            if working and clear and candidate > now + min_notice:
                starts.add(candidate)
            candidate += timedelta(minutes=slot_minutes)
    return sorted(starts)


BERLIN = ZoneInfo('Europe/Berlin')
MINUTE = timedelta(minutes=1)
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
    step = timedelta(minutes=case['slot_minutes'])
    length = timedelta(minutes=case.get('visit_minutes', case['slot_minutes']))
    before, after = timedelta(minutes=case.get('before', 0)), timedelta(minutes=case.get('after', 0))
    for slot in free_slots(**case):
        assert slot > case['now'] + case['min_notice']
        kept_from, kept_until = slot - before, slot + length + after
        assert all(not (b_start < kept_until and kept_from < b_end) for b_start, b_end in case['busy'])
        ranges = [
            (
                datetime.combine(case['day'], s, tzinfo=case['tz']).astimezone(UTC),
                datetime.combine(case['day'], e, tzinfo=case['tz']).astimezone(UTC),
            )
            for s, e in case['hours']
        ]
        assert any(start <= slot < stop and (slot - start) % step == timedelta(0) for start, stop in ranges)
        assert all(any(start <= m < stop for start, stop in ranges) for m in (kept_from, kept_until - MINUTE))


LONG_VISIT = dict(  # the e2e's day: 60 minutes on a 30-minute grid starts up to 11:00 and 16:00, never 11:30 or 16:30
    day=DAYS[0],
    hours=[(time(9), time(12)), (time(13), time(17))],
    slot_minutes=30,
    visit_minutes=60,
    now=datetime(2026, 11, 29, tzinfo=UTC),
    busy=[],
    min_notice=timedelta(0),
    tz=BERLIN,
)


def test_a_long_visit_starts_only_where_it_fits_before_a_break():
    labels = [start.astimezone(BERLIN).strftime('%H:%M') for start in free_slots(**LONG_VISIT)]
    assert labels == [
        '09:00',
        '09:30',
        '10:00',
        '10:30',
        '11:00',
        '13:00',
        '13:30',
        '14:00',
        '14:30',
        '15:00',
        '15:30',
        '16:00',
    ]


def test_buffers_keep_time_free_around_a_visit_and_inside_working_hours():
    booked = (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), datetime(2026, 11, 30, 9, 30, tzinfo=UTC))  # 10:00-10:30
    case = {**LONG_VISIT, 'visit_minutes': 30, 'before': 10, 'after': 10, 'busy': [booked]}
    labels = [start.astimezone(BERLIN).strftime('%H:%M') for start in free_slots(**case)]
    assert labels[:3] == ['11:00', '13:30', '14:00']  # 09:00 needs 08:50; 09:30 runs into 10:00; 10:30 starts in it
    assert labels[-1] == '16:00'  # 16:30 would keep 17:00-17:10 after it
