"""The fan-out's figures from what was measured, and the goal report of issue 15 (pure functions, unit-tested).

Latency is per (watching browser, change) pair. A change's p50 is the median over the browsers that showed it; a
stall is a change whose p50 is far above the median change's (a pause that hit every browser at once): the stall
ratio is the slowest change's p50 over the median change's p50.
"""

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

GOAL_SIZES = (100, 500, 1000)  # the app's p95 must be below the baseline's at each of these
GOAL_P95_MS, GOAL_P95_AT = 150.0, 1000  # and at most this at that N
GOAL_STALL_RATIO = 2.0  # slowest change's p50 within this factor of the median change's, at every N
GOAL_CPU_AT = 1000  # the app's server CPU per change at most the baseline's at this N
GOAL_KIB_PER_PAGE = 150.0  # server memory per open booking page
SCENARIOS = ('steady', 'arriving')


def quantile(values: Sequence[float], q: float) -> float | None:
    """The nearest-rank quantile of already sorted values (None for none)."""
    if not values:
        return None
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def latency_figures(changes: Sequence[Sequence[float]]) -> dict[str, Any]:
    """From each change's latencies (seconds, one per watching browser that showed it): p50, p95 and max over all
    pairs, each change's p50, the median and the slowest of those, and their ratio (the stall ratio)."""
    pairs = sorted(latency for change in changes for latency in change)
    p50s = [statistics.median(change) for change in changes if change]
    median_p50 = statistics.median(p50s) if p50s else None
    slowest = max(p50s) if p50s else None
    return {
        'p50_ms': ms(quantile(pairs, 0.50)),
        'p95_ms': ms(quantile(pairs, 0.95)),
        'max_ms': ms(pairs[-1]) if pairs else None,
        'change_p50s_ms': [ms(p50) for p50 in p50s],
        'median_change_p50_ms': ms(median_p50),
        'slowest_change_p50_ms': ms(slowest),
        'stall_ratio': round(slowest / median_p50, 2) if median_p50 and slowest is not None else None,
    }


def kib_per_page(rss_mib: float, empty_mib: float, pages: int) -> float | None:
    """Server memory per open page: what the open pages added to the empty server's, divided among them."""
    return round((rss_mib - empty_mib) * 1024 / pages, 1) if pages else None


@dataclass(frozen=True)
class GoalLine:
    scenario: str
    goal: str
    passed: bool | None  # None: not measured in this run (a size the run did not include)
    figures: str

    def __str__(self) -> str:
        verdict = {True: 'PASS', False: 'FAIL', None: 'n/a '}[self.passed]
        return f'{verdict} [{self.scenario}] {self.goal}: {self.figures}'


def _levels(side: dict[str, Any], scenario: str) -> dict[int, dict[str, Any]]:
    return {level['watching']: level for level in side['levels'] if level['scenario'] == scenario}


def _all(checks: Iterable[bool]) -> bool | None:
    found = list(checks)
    return all(found) if found else None


def goal_report(run: dict[str, Any], per_change: int = 1) -> list[GoalLine]:
    """Each goal of issue 15, for each scenario, PASS/FAIL (or n/a) with the figures it was judged on."""
    lines = []
    for scenario in SCENARIOS:
        ours, base = _levels(run['ours'], scenario), _levels(run.get('baseline') or {'levels': []}, scenario)
        if not ours:
            continue
        lines += _scenario_goals(scenario, ours, base, per_change)
    return lines


def _scenario_goals(
    scenario: str, ours: dict[int, dict[str, Any]], base: dict[int, dict[str, Any]], per_change: int
) -> list[GoalLine]:
    lines = []
    common = sorted(ours.keys() & base.keys())
    sizes = [n for n in GOAL_SIZES if n in common]
    note = ''
    if not sizes and common:
        sizes, note = common, ' (the goal sizes were not run: at the sizes that were)'

    def faster(n: int) -> bool:
        mine, theirs = ours[n]['p95_ms'], base[n]['p95_ms']
        return mine is not None and theirs is not None and mine < theirs

    lines.append(
        GoalLine(
            scenario,
            f'app p95 < baseline p95 at N = {", ".join(map(str, GOAL_SIZES))}{note}',
            _all(faster(n) for n in sizes),
            '; '.join(f'N={n}: {ours[n]["p95_ms"]} vs {base[n]["p95_ms"]} ms' for n in sizes) or 'no baseline run',
        )
    )
    at = ours.get(GOAL_P95_AT)
    lines.append(
        GoalLine(
            scenario,
            f'app p95 <= {GOAL_P95_MS:g} ms at N = {GOAL_P95_AT}',
            None if at is None else (at['p95_ms'] is not None and at['p95_ms'] <= GOAL_P95_MS),
            f'{at["p95_ms"]} ms' if at else f'N={GOAL_P95_AT} not run',
        )
    )
    lines.append(
        GoalLine(
            scenario,
            f"no stall: slowest change's p50 <= {GOAL_STALL_RATIO:g}x the median change's, at every N",
            _all(
                level['stall_ratio'] is not None and level['stall_ratio'] <= GOAL_STALL_RATIO for level in ours.values()
            ),
            '; '.join(
                f'N={n}: {lv["slowest_change_p50_ms"]} / {lv["median_change_p50_ms"]} ms = {lv["stall_ratio"]}x'
                for n, lv in sorted(ours.items())
            ),
        )
    )
    cpu_at = GOAL_CPU_AT if GOAL_CPU_AT in common else None
    cpu_note = '' if cpu_at or not common else f' (N={GOAL_CPU_AT} not run: at N={common[-1]})'
    cpu_at = cpu_at or (common[-1] if common else None)
    lines.append(
        GoalLine(
            scenario,
            f"app server CPU per change <= baseline's at N = {GOAL_CPU_AT}{cpu_note}",
            None if cpu_at is None else ours[cpu_at]['cpu_s_per_change'] <= base[cpu_at]['cpu_s_per_change'],
            'no baseline run'
            if cpu_at is None
            else f'{ours[cpu_at]["cpu_s_per_change"]} s vs {base[cpu_at]["cpu_s_per_change"]} s',
        )
    )
    largest = max(ours)
    kib = ours[largest]['kib_per_page']
    lines.append(
        GoalLine(
            scenario,
            f'<= {GOAL_KIB_PER_PAGE:g} KiB of server memory per open booking page (app, at its largest N)',
            None if kib is None else kib <= GOAL_KIB_PER_PAGE,
            f'{kib} KiB at N={largest} ({ours[largest]["clients"]} pages open)',
        )
    )
    lines.append(
        GoalLine(
            scenario,
            f'exactly {per_change} slot computation{"s" if per_change > 1 else ""} per change (app, every N)',
            _all(level['slot_computations_per_change'] == per_change for level in ours.values()),
            '; '.join(f'N={n}: {lv["slot_computations_per_change"]}' for n, lv in sorted(ours.items())),
        )
    )
    lines.append(
        GoalLine(
            scenario,
            'zero messages to browsers not showing the changed day (app, every N)',
            _all(level['messages_to_unaffected_per_change'] == 0 for level in ours.values()),
            '; '.join(f'N={n}: {lv["messages_to_unaffected_per_change"]}' for n, lv in sorted(ours.items())),
        )
    )
    return lines


def goal_held(lines: Sequence[GoalLine]) -> bool:
    """Every goal line passed (one not measured does not count as held)."""
    return bool(lines) and all(line.passed is True for line in lines)


def consecutive_held(runs: Sequence[Sequence[GoalLine]], needed: int = 2) -> bool:
    """The goal held in `needed` consecutive runs."""
    streak = 0
    for lines in runs:
        streak = streak + 1 if goal_held(lines) else 0
        if streak >= needed:
            return True
    return False
