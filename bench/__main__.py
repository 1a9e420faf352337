"""Run the benchmarks: `python -m bench` (full) or `python -m bench --quick` (CI: small, fails only on gross
regressions, never on absolute times). A full run ends with the goal report of issue 15 (PASS/FAIL per goal and
scenario, per run with `--runs K`). After the page fan-out it measures the live slot feed's fan-out (issue 19,
bench/slot_feed.py: server-sent events to N listeners, once per run of the command). The last printed line is a JSON
summary."""

import argparse
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import booking, engine, fanout, slot_feed
from bench.fanout.stats import GoalLine, consecutive_held, goal_held, goal_report
from bench.plot import fan_out_plot

# the baseline is measured up to N = 1000; `listeners`: the slot feed's levels
FULL: dict[str, Any] = {'sizes': [100, 500, 1000, 2000], 'others': 100, 'rounds': 10, 'listeners': slot_feed.SIZES}
QUICK: dict[str, Any] = {'sizes': [10, 50], 'others': 20, 'rounds': 3, 'listeners': slot_feed.QUICK_SIZES}
BASELINE_NAMES = {
    'python': 'FastAPI + python-socketio, same database, no sign-in check (the old Python baseline)',
    'node': "Node.js + Express + Socket.IO, the seed's design: slots in memory, no sign-in check",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--quick', action='store_true', help='small sizes and few changes, for CI (a few minutes)')
    parser.add_argument(
        '--sizes', help='watching browsers per level, e.g. 100,500,1000,2000 (the baseline only up to 1000)'
    )
    parser.add_argument('--rounds', type=int, help='changes per N and scenario (full: 10, quick: 3)')
    parser.add_argument(
        '--listeners', help='slot feed listeners per level, measured after the fan-out (full: 100,1000; quick: 10,50)'
    )
    parser.add_argument('--runs', type=int, default=1, help='repeat the whole fan-out this many times (default 1)')
    parser.add_argument('--plot', type=Path, help='write the p95 plot (PNG) here')
    parser.add_argument('--profile', type=Path, help='py-spy the servers at the largest size into this folder')
    parser.add_argument(
        '--processes',
        type=int,
        default=1,
        help='run only the fan-out, with the app as this many processes on PostgreSQL '
        '(CLINIC_TEST_POSTGRES_URL, or --postgres)',
    )
    parser.add_argument(
        '--baseline',
        choices=('node', 'python'),
        default='node',
        help="the fan-out baseline: the seed's own stack (Node.js + Express + Socket.IO, installed with npm ci from "
        'bench/node_baseline; the default), or the old Python re-implementation (FastAPI + python-socketio)',
    )
    parser.add_argument('--postgres', help='a PostgreSQL server URL for --processes (a fresh database is made on it)')
    args = parser.parse_args()
    logging.disable(logging.INFO)
    shape = dict(QUICK if args.quick else FULL)
    if args.sizes:
        shape['sizes'] = sorted(int(size) for size in args.sizes.split(','))
    if args.rounds:
        shape['rounds'] = args.rounds
    if args.listeners:
        shape['listeners'] = sorted(int(size) for size in args.listeners.split(','))
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    if args.processes > 1:
        return several_processes(args, shape)
    results: dict[str, Any] = {
        'slot_engine': engine.run(repeats=2 if args.quick else 5),
        'booking': booking.run(bookings=100 if args.quick else 300),
    }
    runs = []
    for number in range(1, max(1, args.runs) + 1):
        if args.runs > 1:
            print(f'fan-out run {number} of {args.runs}', flush=True)
        runs.append(
            fanout.run(shape['sizes'], shape['others'], shape['rounds'], profile=args.profile, baseline=args.baseline)
        )
    first = runs[0]
    goals = [goal_report(run) for run in runs]
    results['fanout'] = {
        **{key: first[key] for key in ('sizes', 'baseline_sizes', 'others', 'rounds', 'baseline_kind')},
        'runs': [{'ours': run['ours'], 'baseline': run['baseline']} for run in runs],
        'goal': [[{**asdict(line), 'text': str(line)} for line in lines] for lines in goals],
        'goal_held': [goal_held(lines) for lines in goals],
        'goal_held_in_two_consecutive_runs': consecutive_held(goals),
    }
    results['slot_feed'] = slot_feed.run(shape['listeners'], shape['rounds'])
    report(results)
    slot_feed.table(results['slot_feed'])
    print_goals(goals)
    if args.plot:
        print(plot(results['fanout'], args.plot))
    failures = gross_regressions(results)
    print(json.dumps(results, sort_keys=True))
    for failure in failures:
        print(f'FAIL: {failure}', file=sys.stderr)
    return 1 if failures else 0


def several_processes(args: argparse.Namespace, shape: dict[str, Any]) -> int:
    postgres = args.postgres or os.environ.get('CLINIC_TEST_POSTGRES_URL')
    if not postgres:
        print('--processes needs PostgreSQL: pass --postgres URL or set CLINIC_TEST_POSTGRES_URL', file=sys.stderr)
        return 2
    fan = fanout.run_processes(args.processes, postgres, shape['sizes'], shape['others'], shape['rounds'])
    print(
        f'fan-out with {args.processes} app processes on PostgreSQL, browsers spread evenly; '
        f'{fan["others"]} more browsers on other days and doctors; {fan["rounds"]} changes per N and scenario'
    )
    fan_out_table({'ours': fan['ours']}, kinds=('ours',))
    results = {'fanout_processes': fan}
    failures = gross_regressions(
        {'booking': {'race_winners': 1}, 'fanout': {'runs': [{'ours': fan['ours']}]}}, per_change=args.processes
    )
    print(json.dumps(results, sort_keys=True))
    for failure in failures:
        print(f'FAIL: {failure}', file=sys.stderr)
    return 1 if failures else 0


def report(results: dict[str, Any]) -> None:
    engine_, booking_, fan = results['slot_engine'], results['booking'], results['fanout']
    print(
        f'slot engine: {engine_["doctor_days"]} doctor-days ({engine_["doctors"]} doctors x {engine_["days"]} days) '
        f'in {engine_["best_ms"]} ms (target <= 100 ms)'
    )
    print(
        f'booking: {booking_["bookings_per_second"]} bookings/s; a {booking_["race_attempts"]}-way race settled in '
        f'{booking_["race_settled_ms"]} ms with {booking_["race_winners"]} winner'
    )
    print(
        f"fan-out: N browsers watch one doctor's day, {fan['others']} more watch other days and doctors; "
        f'{fan["rounds"]} changes per N and scenario, each a Chromium click (the app: a patient signed in through '
        f'/login books a time, then cancels it); baseline: {BASELINE_NAMES[fan["baseline_kind"]]}'
    )
    for number, run in enumerate(fan['runs'], 1):
        if len(fan['runs']) > 1:
            print(f'run {number}:')
        fan_out_table(run)


def fan_out_table(run: dict[str, Any], kinds: tuple[str, ...] = ('ours', 'baseline')) -> None:
    print(
        f'{"":8} {"scenario":8} {"N":>5} {"p50":>6} {"p95":>6} {"max":>6} {"chg p50":>7} {"slowest":>7} '
        f'{"stall":>5} {"missed":>6} {"CPU s":>6} {"slots":>5} {"noise":>6} {"GCs":>3} {"GC ms":>6} '
        f'{"RSS MiB":>7} {"KiB/pg":>6}'
    )
    for kind in kinds:
        for lv in run[kind]['levels']:
            print(
                f'{kind:8} {lv["scenario"]:8} {lv["watching"]:>5} {_n(lv["p50_ms"]):>6} {_n(lv["p95_ms"]):>6} '
                f'{_n(lv["max_ms"]):>6} {_n(lv["median_change_p50_ms"]):>7} {_n(lv["slowest_change_p50_ms"]):>7} '
                f'{_n(lv["stall_ratio"]):>5} {lv["missed_updates"]:>6} {lv["cpu_s_per_change"]:>6} '
                f'{lv["slot_computations_per_change"]:>5} {lv["messages_to_unaffected_per_change"]:>6} '
                f'{lv["full_gcs_during_changes"]:>3} {lv["longest_full_gc_during_changes_ms"]:>6} '
                f'{lv["rss_mib"]:>7} {_n(lv["kib_per_page"]):>6}'
            )
        print(f'{kind:8} memory: {run[kind]["rss_empty_mib"]} MiB with no booking page open')
    print(
        "(ms: p50/p95/max over every (watching browser, change) pair; chg p50 = the median change's p50 over its "
        "browsers, slowest = the slowest change's, stall = their ratio; CPU s, slots and noise are per change, noise "
        "= messages to browsers not showing that day; GCs = the server's own full collections during the changes, GC "
        'ms the longest; KiB/pg = server memory above the empty server per open page; arriving: '
        'new pages keep opening on other days meanwhile, and CPU includes serving them)'
    )


def _n(value: object) -> str:
    return '-' if value is None else str(value)


def print_goals(goals: list[list[GoalLine]]) -> None:
    for number, lines in enumerate(goals, 1):
        print(f'goal report (issue 15), run {number} of {len(goals)}:')
        for line in lines:
            print(f'  {line}')
        print(f'  => the goal {"held" if goal_held(lines) else "did not hold"} in run {number}')
    if len(goals) > 1:
        print(f'goal held in two consecutive runs: {"yes" if consecutive_held(goals) else "no"}')


def plot(fan: dict[str, Any], path: Path) -> str:
    try:
        fan_out_plot(fan, path)
    except ImportError:
        return 'no plot: matplotlib is not installed (pip install -e ".[bench]")'
    return f'plot written to {path}'


def gross_regressions(results: dict[str, Any], per_change: int = 1) -> list[str]:
    """What fails a run: broken invariants, never absolute times (those depend on the machine)."""
    failures = []
    if results['booking']['race_winners'] != 1:
        failures.append('a race on one slot must have exactly one winner')
    for run in results['fanout']['runs']:
        for kind, side in run.items():
            for level in side['levels']:
                at = f'{kind} N={level["watching"]} {level["scenario"]}'
                if level['missed_updates']:
                    failures.append(f'{at}: {level["missed_updates"]} watching browsers never showed the change')
                if kind != 'ours':
                    continue
                if level['slot_computations_per_change'] != per_change:  # one per process
                    failures.append(
                        f'{at}: {level["slot_computations_per_change"]} slot computations per change, not {per_change}'
                    )
                if level['messages_to_unaffected_per_change']:
                    failures.append(f'{at}: browsers not showing the changed day got messages')
                if level.get('messages_per_watcher_per_change', 1) > 1:  # the day's one message, nothing per page
                    failures.append(f'{at}: {level["messages_per_watcher_per_change"]} messages per watching browser')
    if 'slot_feed' in results:
        failures += slot_feed.broken_invariants(results['slot_feed'])
    return failures


if __name__ == '__main__':
    sys.exit(main())
