"""Live fan-out: N browsers watch one doctor's day, M more watch other doctors or days; a doctor blocks or frees
half an hour through the service; how long until each watching browser shows it, what it costs the server, and
who else got messages. The app and the baseline design (`baseline_server`) are measured the same way, in turn.

`audience` starts the servers and builds the audience level by level, `rounds` makes the changes and measures
them, `server_group` sees several app processes as one server.
"""

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from .audience import measure
from .clinic import prepare
from .node_baseline import NODE_BASELINE, ensure_installed
from .server import pin_load_generator, unpin_load_generator

BASELINES = {'python': 'bench.fanout.baseline_server', 'node': NODE_BASELINE}


def run(
    sizes: list[int],
    others: int,
    rounds: int,
    logs: Path | None = None,
    profile: Path | None = None,
    baseline: str = 'python',
) -> dict[str, Any]:
    """The app and the baseline, each as one process (the app and the Python baseline on SQLite; the Node baseline
    keeps its slots in memory)."""
    if baseline == 'node':
        ensure_installed()  # before anything is measured, so a missing Node fails fast
    pin_load_generator()
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare(Path(folder) / 'clinic', max(sizes) + others + 8)
        logs = logs or Path(folder)
        return {
            'sizes': sizes,
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
                    sizes,
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
            prepared = prepare(Path(folder) / 'clinic', max(sizes) + others + 8, database_url=url)
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
