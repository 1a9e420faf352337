"""Kill a writing clinic process with SIGKILL at random moments, many times: nothing committed is ever lost and
the database always opens cleanly."""

import asyncio
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]
KILLS = 30


def committed_so_far(log: Path, writer: subprocess.Popen) -> int:
    """How many bookings the writer has reported committed; fails if it died before it was killed."""
    assert writer.poll() is None, 'the writer died on its own'
    return len(log.read_text().splitlines()) if log.exists() else 0


async def more_commits(log: Path, writer: subprocess.Popen, count: int) -> None:
    """Wait until the writer has reported `count` more committed bookings."""
    wanted = committed_so_far(log, writer) + count
    await until(lambda: committed_so_far(log, writer) >= wanted, timeout=30)


async def test_sigkill_at_random_moments_loses_no_committed_booking(tmp_path, database_url):
    data, log = tmp_path / 'data', tmp_path / 'committed.log'
    rng = random.Random(20261124)
    env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST', 'NICEGUI', 'CLINIC_'))}
    for kill in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, '-m', 'tests.crash.writer', str(data), str(log), str(kill), database_url],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        await more_commits(log, writer, rng.randint(1, 4))
        # not waiting for anything: the kill lands at a random moment inside the next transactions
        await asyncio.sleep(rng.uniform(0, 0.05))
        writer.send_signal(signal.SIGKILL)
        writer.wait()

    committed = {int(line) for line in log.read_text().splitlines()}
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == 'sqlite':
                assert connection.exec_driver_sql('PRAGMA integrity_check').scalar() == 'ok'
            stored = {row[0] for row in connection.exec_driver_sql('SELECT id FROM appointments')}
            double = connection.exec_driver_sql(
                "SELECT doctor_id, starts_at, COUNT(*) FROM appointments WHERE status = 'booked' "
                'GROUP BY doctor_id, starts_at HAVING COUNT(*) > 1'
            ).all()
    finally:
        engine.dispose()
    lost = committed - stored
    print(
        f'\ncrash test ({engine.dialect.name}): {KILLS} SIGKILLs, {len(committed)} committed bookings seen by the '
        f'writer, {len(lost)} lost, {len(double)} double bookings'
    )
    assert lost == set()
    assert double == []
    assert len(committed) >= KILLS
