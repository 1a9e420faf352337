"""Live fan-out: N browsers watch one doctor's day, M more watch other doctors or days; a patient signed in through
/login in a real Chromium books a time of that day and cancels it again (on a baseline's page, a button blocks or
frees that time); how long until each watching browser shows it, what it costs the server, and who else got
messages. Two scenarios per N: steady (nothing arriving) and arriving (new pages keep opening meanwhile).

The app and the baseline are measured the same way, in turn, as shipped (no forced garbage collection). The
baseline is the seed's own design on its own stack, Node.js + Express + Socket.IO (`bench/node_baseline`), favoured
by keeping slots in memory and checking no sign-in; the app runs on its real database with signed-in pages. The
older Python baseline (`baseline_server`, FastAPI + python-socketio on the same database) is there by flag only.

`audience` starts the servers and builds the audience level by level, `patient` is the Chromium that clicks,
`arrivals` the trickle of new pages, `rounds` makes the changes and measures them, `stats` turns that into figures
and the goal report, `server_group` sees several app processes as one server.
"""

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from .audience import ARRIVING_PATIENTS, WARM_PAGES, measure
from .clinic import prepare
from .node_baseline import NODE_BASELINE, ensure_installed
from .server import pin_load_generator, unpin_load_generator

BASELINES = {'python': 'bench.fanout.baseline_server', 'node': NODE_BASELINE}
BASELINE_MAX = 1000  # the baseline is measured up to this N (the app beyond it too)


def run(
    sizes: list[int],
    others: int,
    rounds: int,
    logs: Path | None = None,
    profile: Path | None = None,
    baseline: str = 'node',
) -> dict[str, Any]:
    """The app and the baseline, each as one process (the app and the Python baseline on SQLite; the Node baseline
    keeps its slots in memory). The baseline is measured at the sizes up to BASELINE_MAX."""
    if baseline == 'node':
        ensure_installed()  # before anything is measured, so a missing Node fails fast
    pin_load_generator()  # Chromium, started from here, runs on the load generator's core too
    baseline_sizes = [size for size in sizes if size <= BASELINE_MAX]
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare(Path(folder) / 'clinic', _patients(sizes, others))
        logs = logs or Path(folder)
        return {
            'sizes': sizes,
            'baseline_sizes': baseline_sizes,
            'others': others,
            'rounds': rounds,
            'baseline_kind': baseline,
            'ours': asyncio.run(
                measure(
                    'bench.fanout.ours_server',
                    prepared.copy(Path(folder) / 'ours'),
                    sizes,
                    others,
                    rounds,
                    logs,
                    profile,
                )
            ),
            'baseline': asyncio.run(
                measure(
                    BASELINES[baseline],
                    prepared.copy(Path(folder) / 'baseline'),
                    baseline_sizes,
                    others,
                    rounds,
                    logs,
                    profile,
                )
            ),
        }


def run_processes(
    processes: int, postgres_url: str, sizes: list[int], others: int, rounds: int, logs: Path | None = None
) -> dict[str, Any]:
    """The app as several processes on one PostgreSQL database, the browsers spread evenly over them (as a proxy
    with sticky sessions would). The change is made through the first process; the others hear of it over
    LISTEN/NOTIFY and recompute once each. One core per process; the load generator is not pinned."""
    from tests.databases import PostgresDatabases

    unpin_load_generator()
    databases = PostgresDatabases(postgres_url)
    url = databases.new()
    try:
        with tempfile.TemporaryDirectory() as folder:
            prepared = prepare(Path(folder) / 'clinic', _patients(sizes, others), database_url=url)
            return {
                'sizes': sizes,
                'others': others,
                'rounds': rounds,
                'processes': processes,
                'ours': asyncio.run(
                    measure(
                        'bench.fanout.ours_server',
                        prepared,
                        sizes,
                        others,
                        rounds,
                        logs or Path(folder),
                        None,
                        processes,
                    )
                ),
            }
    finally:
        databases.drop(url)
        databases.close()


def _patients(sizes: list[int], others: int) -> int:
    """Signed-in patients for every simulated browser: the warm-up, the audience, and the arriving pages' pool."""
    return WARM_PAGES + max(sizes) + others + ARRIVING_PATIENTS
