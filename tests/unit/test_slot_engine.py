import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.slot_engine import free_slots, local_day_bounds, local_days

BERLIN = ZoneInfo('Europe/Berlin')
MONDAY = date(2026, 11, 30)
MORNING_AFTERNOON = [(time(9), time(12)), (time(13), time(17))]
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def at(day: date, hh: int, mm: int = 0, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=tz)


def labels(slots: list[datetime], tz: ZoneInfo = BERLIN) -> list[str]:
    return [s.astimezone(tz).strftime('%H:%M') for s in slots]


def compute(**overrides):
    args = dict(
        day=MONDAY, hours=MORNING_AFTERNOON, slot_minutes=30, busy=[], now=LONG_AGO, min_notice=timedelta(0), tz=BERLIN
    )
    args.update(overrides)
    return free_slots(**args)


def test_slots_are_aligned_to_the_start_of_each_working_range():
    slots = labels(compute(hours=[(time(9, 10), time(10, 10)), (time(13), time(14))]))
    assert slots == ['09:10', '09:40', '13:00', '13:30']


def test_a_full_working_day_gives_every_half_hour_and_skips_lunch():
    slots = labels(compute())
    assert slots[:3] == ['09:00', '09:30', '10:00']
    assert '12:00' not in slots and '12:30' not in slots
    assert slots[-1] == '16:30'
    assert len(slots) == 14


def test_a_leftover_shorter_than_one_slot_is_dropped():
    assert labels(compute(hours=[(time(9), time(10, 20))])) == ['09:00', '09:30']
    assert labels(compute(hours=[(time(9), time(10))], slot_minutes=45)) == ['09:00']


def test_unavailability_removes_every_overlapping_slot():
    busy = [(at(MONDAY, 9), at(MONDAY, 11, 30))]
    slots = labels(compute(busy=busy))
    assert slots[:2] == ['11:30', '13:00']
    assert not {'09:00', '09:30', '10:00', '10:30', '11:00'} & set(slots)


def test_a_partial_overlap_removes_the_slot_but_touching_does_not():
    busy = [(at(MONDAY, 9, 45), at(MONDAY, 10))]
    slots = labels(compute(hours=[(time(9), time(11))], busy=busy))
    assert slots == ['09:00', '10:00', '10:30']


def test_appointments_of_another_length_block_what_they_overlap():
    busy = [(at(MONDAY, 9, 15), at(MONDAY, 9, 35))]
    assert labels(compute(hours=[(time(9), time(10, 30))], busy=busy)) == ['10:00']


def test_a_period_spanning_days_blocks_the_whole_day():
    busy = [(at(MONDAY - timedelta(days=2), 0), at(MONDAY + timedelta(days=3), 0))]
    assert compute(busy=busy) == []


def test_overlapping_busy_intervals_are_merged():
    busy = [
        (at(MONDAY, 9), at(MONDAY, 10)),
        (at(MONDAY, 9, 30), at(MONDAY, 11)),
        (at(MONDAY, 10, 30), at(MONDAY, 10, 45)),
    ]
    assert labels(compute(hours=[(time(9), time(12))], busy=busy)) == ['11:00', '11:30']


def test_past_slots_are_gone_and_the_current_one_too():
    now = at(MONDAY, 10, 10)
    slots = labels(compute(now=now))
    assert slots[0] == '10:30'


def test_a_slot_is_bookable_until_its_start_and_gone_at_it():
    assert labels(compute(now=at(MONDAY, 9, 59) + timedelta(seconds=59)))[0] == '10:00'
    assert labels(compute(now=at(MONDAY, 10)))[0] == '10:30'


def test_minimum_notice_removes_slots_starting_too_soon():
    slots = labels(compute(now=at(MONDAY, 9, 59), min_notice=timedelta(hours=2)))
    assert slots[0] == '13:00'
    assert labels(compute(now=at(MONDAY, 9, 29), min_notice=timedelta(hours=2)))[0] == '11:30'


def test_no_working_hours_means_no_slots():
    assert compute(hours=[]) == []


def test_slots_are_utc_instants():
    slots = compute(hours=[(time(9), time(10))])
    assert slots[0] == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert all(s.tzinfo == UTC for s in slots)


def test_spring_forward_day_keeps_real_half_hours_across_the_gap():
    day = date(2026, 3, 29)  # Europe/Berlin jumps from 02:00 to 03:00
    slots = compute(day=day, hours=[(time(1), time(4))])
    assert labels(slots) == ['01:00', '01:30', '03:00', '03:30']
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(slots))


def test_fall_back_day_has_the_repeated_hour_twice():
    day = date(2026, 10, 25)  # Europe/Berlin goes from 03:00 back to 02:00
    slots = compute(day=day, hours=[(time(1), time(4))])
    assert labels(slots) == ['01:00', '01:30', '02:00', '02:30', '02:00', '02:30', '03:00', '03:30']
    assert len(set(slots)) == len(slots)


def test_daytime_hours_on_a_dst_day_are_unchanged_in_local_time():
    for day in (date(2026, 3, 29), date(2026, 10, 25)):
        slots = labels(compute(day=day))
        assert slots[0] == '09:00' and slots[-1] == '16:30' and len(slots) == 14


def test_local_day_bounds_are_23_and_25_hours_on_dst_days():
    start, end = local_day_bounds(date(2026, 3, 29), BERLIN)
    assert end - start == timedelta(hours=23)
    start, end = local_day_bounds(date(2026, 10, 25), BERLIN)
    assert end - start == timedelta(hours=25)


def test_local_days_of_a_period_ending_at_midnight_excludes_the_next_day():
    assert local_days(at(MONDAY, 9), at(MONDAY + timedelta(days=1), 0), BERLIN) == (MONDAY, MONDAY)
    assert local_days(at(MONDAY, 9), at(MONDAY + timedelta(days=2), 10), BERLIN) == (MONDAY, MONDAY + timedelta(days=2))
