"""The fan-out benchmark's figures (bench/fanout/stats.py): each change's p50 over its browsers, the stall ratio (the
slowest change's p50 over the median change's), and the goal report of issue 15, PASS or FAIL with its figures."""

from typing import Any

from bench.fanout.stats import consecutive_held, goal_held, goal_report, kib_per_page, latency_figures, quantile


def test_each_change_has_its_p50_and_a_stall_shows_as_the_ratio_of_the_slowest_to_the_median() -> None:
    steady = [0.040, 0.050, 0.060]  # seconds, three watching browsers
    stalled = [1.000, 1.100, 1.200]  # a pause that hit every browser of one change
    figures = latency_figures([steady, steady, stalled, steady, steady])

    assert figures['change_p50s_ms'] == [50.0, 50.0, 1100.0, 50.0, 50.0]
    assert figures['median_change_p50_ms'] == 50.0
    assert figures['slowest_change_p50_ms'] == 1100.0
    assert figures['stall_ratio'] == 22.0
    assert figures['p50_ms'] == 50.0 and figures['max_ms'] == 1200.0
    assert figures['p95_ms'] == 1100.0  # 15 pairs: the nearest rank of 0.95 is the 14th value


def test_no_stall_when_changes_are_alike_and_no_figures_without_any_latency() -> None:
    assert latency_figures([[0.1, 0.2], [0.1, 0.3]])['stall_ratio'] == 1.14  # 200 ms over the median 175 ms
    nothing = latency_figures([[], []])  # every browser missed every change
    assert nothing['p95_ms'] is None and nothing['stall_ratio'] is None and nothing['change_p50s_ms'] == []
    assert quantile([], 0.5) is None


def test_memory_per_page_is_what_the_pages_added_to_the_empty_server() -> None:
    assert kib_per_page(rss_mib=250.0, empty_mib=150.0, pages=1000) == 102.4
    assert kib_per_page(rss_mib=250.0, empty_mib=150.0, pages=0) is None


def _level(n: int, scenario: str, **figures: Any) -> dict[str, Any]:
    level = {
        'watching': n,
        'scenario': scenario,
        'clients': n + 102,
        'p95_ms': 100.0,
        'stall_ratio': 1.2,
        'slowest_change_p50_ms': 60.0,
        'median_change_p50_ms': 50.0,
        'cpu_s_per_change': 0.1,
        'kib_per_page': 120.0,
        'slot_computations_per_change': 1.0,
        'messages_to_unaffected_per_change': 0.0,
    }
    return {**level, **figures}


def _run(ours: list[dict[str, Any]], baseline: list[dict[str, Any]]) -> dict[str, Any]:
    return {'ours': {'levels': ours}, 'baseline': {'levels': baseline}}


def test_the_goal_report_passes_a_run_that_meets_every_goal_in_both_scenarios() -> None:
    ours = [_level(n, s, p95_ms=90.0) for s in ('steady', 'arriving') for n in (100, 500, 1000, 2000)]
    base = [_level(n, s, p95_ms=300.0, cpu_s_per_change=0.2) for s in ('steady', 'arriving') for n in (100, 500, 1000)]
    lines = goal_report(_run(ours, base))

    assert len(lines) == 14  # seven goals, two scenarios
    assert all(line.passed is True for line in lines), [str(line) for line in lines if not line.passed]
    assert goal_held(lines)
    assert str(lines[0]).startswith('PASS [steady] app p95 < baseline p95 at N = 100, 500, 1000: N=100: 90.0 vs 300.0')


def test_the_goal_report_fails_each_goal_that_is_missed_and_says_the_figures() -> None:
    ours = [
        _level(100, 'steady', p95_ms=90.0),
        _level(500, 'steady', p95_ms=400.0, stall_ratio=3.5, slowest_change_p50_ms=700.0, median_change_p50_ms=200.0),
        _level(1000, 'steady', p95_ms=160.0, cpu_s_per_change=0.3, kib_per_page=400.0),
        _level(2000, 'steady', p95_ms=150.0, kib_per_page=390.0, slot_computations_per_change=2.0),
        *[_level(n, 'arriving', messages_to_unaffected_per_change=0.5 if n == 100 else 0.0) for n in (100, 500, 1000)],
    ]
    base = [_level(n, s, p95_ms=300.0, cpu_s_per_change=0.2) for s in ('steady', 'arriving') for n in (100, 500, 1000)]
    lines = goal_report(_run(ours, base))
    steady = [line for line in lines if line.scenario == 'steady']
    verdicts = [line.passed for line in steady]

    assert verdicts == [False, False, False, False, False, False, True]
    assert 'N=500: 400.0 vs 300.0 ms' in steady[0].figures
    assert steady[1].figures == '160.0 ms'
    assert 'N=500: 700.0 / 200.0 ms = 3.5x' in steady[2].figures
    assert steady[3].figures == '0.3 s vs 0.2 s'
    assert steady[4].figures.startswith('390.0 KiB at N=2000')  # judged at the app's largest N
    assert 'N=2000: 2.0' in steady[5].figures
    arriving = [line for line in lines if line.scenario == 'arriving']
    assert [line.passed for line in arriving] == [True, True, True, True, True, True, False]
    assert not goal_held(lines)


def test_a_goal_at_a_size_the_run_did_not_include_is_not_passed() -> None:
    ours = [_level(n, 'steady', p95_ms=20.0) for n in (10, 50)]
    base = [_level(n, 'steady', p95_ms=30.0) for n in (10, 50)]
    lines = goal_report(_run(ours, base))

    assert lines[0].passed is True and 'the goal sizes were not run' in lines[0].goal
    assert lines[1].passed is None and str(lines[1]).startswith('n/a ')  # p95 at N = 1000
    assert not goal_held(lines)


def test_two_consecutive_runs_must_hold() -> None:
    ours = [_level(n, 'steady', p95_ms=90.0) for n in (100, 500, 1000)]
    good = goal_report(_run(ours, [_level(n, 'steady', p95_ms=300.0, cpu_s_per_change=0.2) for n in (100, 500, 1000)]))
    bad = goal_report(_run(ours, [_level(n, 'steady', p95_ms=50.0) for n in (100, 500, 1000)]))

    assert goal_held(good) and not goal_held(bad)
    assert consecutive_held([good, good])
    assert not consecutive_held([good, bad, good])
    assert consecutive_held([bad, good, good])
    assert not consecutive_held([good])
