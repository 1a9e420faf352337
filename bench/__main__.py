"""Run the benchmarks: `python -m bench` (full) or `python -m bench --quick` (CI: small, fails only on gross
regressions). The last printed line is a JSON summary."""

import argparse
import json
import logging
import sys

from bench import booking, engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--quick', action='store_true', help='small sizes, for CI')
    args = parser.parse_args()
    logging.disable(logging.INFO)
    results = {
        'slot_engine': engine.run(repeats=2 if args.quick else 5),
        'booking': booking.run(bookings=100 if args.quick else 300),
    }
    print(
        f'slot engine: {results["slot_engine"]["doctor_days"]} doctor-days '
        f'({results["slot_engine"]["doctors"]} doctors x {results["slot_engine"]["days"]} days) in '
        f'{results["slot_engine"]["best_ms"]} ms (target <= 100 ms)'
    )
    print(
        f'booking: {results["booking"]["bookings_per_second"]} bookings/s; a {results["booking"]["race_attempts"]}'
        f'-way race settled in {results["booking"]["race_settled_ms"]} ms with '
        f'{results["booking"]["race_winners"]} winner'
    )
    failures = []
    if results['booking']['race_winners'] != 1:
        failures.append('a race on one slot must have exactly one winner')
    print(json.dumps(results, sort_keys=True))
    for failure in failures:
        print(f'FAIL: {failure}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
