"""The slot feed benchmark's own logic (bench/slot_feed.py): reading server-sent events cut anywhere, when a listener
got a change, the level's figures, and what fails `python -m bench` (broken invariants only)."""

from typing import Any

from bench.slot_feed import FREE_MARK, EventStream, Listener, broken_invariants, figures, spread

FREE = '{"types":[{"slots":[{"label":"13:30"},{"label":"14:00"}]}]}'
TAKEN = '{"types":[{"slots":[{"label":"13:30"}]}]}'


def test_events_are_read_whole_however_the_stream_is_cut_and_pings_are_skipped() -> None:
    raw = (
        f'event: slots\r\ndata: {FREE}\r\n\r\n: ping - 2026-11-25 10:00:00\r\n\r\nevent: slots\r\ndata: {TAKEN}\r\n\r\n'
    )
    whole = EventStream().feed(raw.encode())
    assert whole == [('slots', FREE), ('slots', TAKEN)]

    for size in (1, 2, 3, 7):  # a '\r' and its '\n' in different chunks, a JSON line in pieces
        stream, events = EventStream(), []
        data = raw.encode()
        for at in range(0, len(data), size):
            events += stream.feed(data[at : at + size])
        assert events == whole, size


def test_an_event_is_complete_only_at_its_blank_line_and_multi_line_data_is_joined() -> None:
    stream = EventStream()
    assert stream.feed(b'event: slots\ndata: a\ndata: b\n') == []
    assert stream.feed(b'\n') == [('slots', 'a\nb')]
    assert stream.feed('data: é\n\n'.encode()[:8]) == []  # a character cut in two waits for its other half
    assert stream.feed('data: é\n\n'.encode()[8:]) == [('message', 'é')]


def test_a_listener_gets_a_change_with_the_first_list_after_the_click_that_shows_it() -> None:
    assert FREE_MARK == '"label":"14:00"' and FREE_MARK in FREE and FREE_MARK not in TAKEN
    listener = Listener('http://feed', {})
    listener.got(0.5, FREE)  # the first list, before any round
    assert listener.first_list.is_set() and listener.updated_at is None

    listener.start_round(10.0, expect_free=False)  # the click books 14:00
    listener.got(9.9, TAKEN)  # sent before the click: not this change
    listener.got(10.02, FREE)  # still free: not the change yet
    listener.got(10.05, TAKEN)
    listener.got(10.09, TAKEN)
    assert listener.updated_at == 10.05 and listener.lists_in_round == 3

    listener.start_round(20.0, expect_free=True)  # the cancel frees it again
    assert listener.updated_at is None
    listener.got(20.03, FREE)
    assert listener.updated_at == 20.03 and listener.lists == 6


def test_the_figures_count_each_listener_that_never_got_a_change_and_the_cost_per_change() -> None:
    changes: list[list[float | None]] = [[0.04, 0.05, None], [0.05, 0.06, 0.07]]
    level = figures(changes, lists=6, listeners=3, cpu=0.5, client_cpu=0.1, computations=2)

    assert level['missed_updates'] == 1
    assert level['change_p50s_ms'] == [45.0, 60.0] and level['max_ms'] == 70.0
    assert level['lists_per_listener_per_change'] == 1.0
    assert level['cpu_s_per_change'] == 0.25 and level['load_generator_cpu_s_per_change'] == 0.05
    assert level['slot_computations_per_change'] == 1.0
    none = figures([[], []], lists=0, listeners=0, cpu=0.06, client_cpu=0.0, computations=2)  # nobody listening
    assert none['p95_ms'] is None and none['lists_per_listener_per_change'] is None and none['missed_updates'] == 0


def test_listeners_are_spread_evenly_over_the_client_processes() -> None:
    assert spread(1000, 1) == [1000]
    assert spread(900, 4) == [225] * 4
    assert spread(10, 4) == [3, 3, 2, 2]


def _level(n: int, **figures: Any) -> dict[str, Any]:
    return {'listeners': n, 'missed_updates': 0, 'slot_computations_per_change': 1.0, 'p95_ms': 9000.0, **figures}


def test_only_a_broken_invariant_fails_the_run_never_a_slow_one() -> None:
    assert broken_invariants({'levels': [_level(10), _level(50)]}) == []
    failures = broken_invariants(
        {'levels': [_level(10, missed_updates=3), _level(50, slot_computations_per_change=2.0)]}
    )
    assert failures == [
        'slot feed N=10: 3 (listener, change) pairs never got the new list',
        'slot feed N=50: 2.0 slot computations per change, not 1',
    ]
