"""Run the benchmarks: `python -m bench` (full) or `python -m bench --quick` (CI: small, fails only on gross
regressions). The last printed line is a JSON summary."""

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from bench import booking, engine, fanout
from bench.plot import fan_out_plot

FULL = {'sizes': [10, 100, 500, 1000], 'others': 100, 'rounds': 5}
QUICK = {'sizes': [10, 100], 'others': 20, 'rounds': 3}
BASELINE_NAMES = {
    'python': 'FastAPI + python-socketio, same database',
    'node': 'Node.js + Express + Socket.IO, slots in memory',
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--quick', action='store_true', help='small sizes, for CI (under a minute)')
    parser.add_argument('--sizes', help='watching browsers per level, e.g. 10,100,500,1000,2000')
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
        choices=('python', 'node'),
        default='python',
        help='the fan-out baseline: the Python re-implementation (FastAPI + python-socketio on the same database), '
        "or the seed's own stack (Node.js + Express + Socket.IO, installed with npm from bench/node_baseline)",
    )
    parser.add_argument('--postgres', help='a PostgreSQL server URL for --processes (a fresh database is made on it)')
    args = parser.parse_args()
    logging.disable(logging.INFO)
    shape = dict(QUICK if args.quick else FULL)
    if args.sizes:
        shape['sizes'] = sorted(int(size) for size in args.sizes.split(','))
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    if args.processes > 1:
        return several_processes(args, shape)
    results = {
        'slot_engine': engine.run(repeats=2 if args.quick else 5),
        'booking': booking.run(bookings=100 if args.quick else 300),
        'fanout': fanout.run(
            shape['sizes'], shape['others'], shape['rounds'], profile=args.profile, baseline=args.baseline
        ),
    }
    report(results)
    if args.plot:
        fan_out_plot(results['fanout'], args.plot)
        print(f'plot written to {args.plot}')
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
        f'{fan["others"]} more browsers on other days and doctors; {fan["rounds"]} changes per N'
    )
    fan_out_table(fan, kinds=('ours',))
    results = {'fanout_processes': fan}
    failures = gross_regressions({'booking': {'race_winners': 1}, 'fanout': fan}, per_change=args.processes)
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
        f'{fan["rounds"]} changes per N; baseline: {BASELINE_NAMES[fan.get("baseline_kind", "python")]}'
    )
    fan_out_table(fan)


def fan_out_table(fan: dict[str, Any], kinds: tuple[str, ...] = ('ours', 'baseline')) -> None:
    header = (
        f'{"":9} {"N":>5} {"p50 ms":>8} {"p95 ms":>8} {"max ms":>8} {"missed":>6} {"CPU ms":>7} {"slots":>6} '
        f'{"queries":>7} {"noise":>6} {"RSS MiB":>8}'
    )
    print(header)
    for kind in kinds:
        for level in fan[kind]['levels']:
            print(
                f'{kind:9} {level["watching"]:>5} {level["p50_ms"]:>8} {level["p95_ms"]:>8} {level["max_ms"]:>8} '
                f'{level["missed_updates"]:>6} {level["cpu_ms_per_change"]:>7} '
                f'{level["slot_computations_per_change"]:>6} {level["queries_per_change"]:>7} '
                f'{level["messages_to_unaffected_per_change"]:>6} {level["rss_mib"]:>8}'
            )
        pauses = ', '.join(
            f'{level["full_gc_after_opening_ms"]} ms at {level["clients"]}' for level in fan[kind]['levels']
        )
        print(f'{kind:9} full garbage collection (the pause a growing audience causes, by clients): {pauses}')
        print(
            f'{kind:9} memory: {fan[kind]["rss_empty_mib"]} MiB with no browser, '
            f'{fan[kind]["rss_per_client_kib"]} KiB per connected booking page'
        )
    print('(CPU ms, slots, queries and noise are per change; noise = messages to browsers not showing that day;')
    print(' changes are measured in steady state: a full collection runs before them and is reported on its own)')


def gross_regressions(results: dict[str, Any], per_change: int = 1) -> list[str]:
    """What fails a run: broken invariants, never absolute times (those depend on the machine)."""
    failures = []
    if results['booking']['race_winners'] != 1:
        failures.append('a race on one slot must have exactly one winner')
    for level in results['fanout']['ours']['levels']:
        n = level['watching']
        if level['slot_computations_per_change'] != per_change:  # one per process
            failures.append(
                f'N={n}: {level["slot_computations_per_change"]} slot computations per change, not {per_change}'
            )
        if level['messages_to_unaffected_per_change']:
            failures.append(f'N={n}: browsers not showing the changed day got messages')
        if level['missed_updates']:
            failures.append(f'N={n}: {level["missed_updates"]} watching browsers never showed the change')
    return failures


if __name__ == '__main__':
    sys.exit(main())
