"""The changes at one audience size: each round a doctor blocks or frees half an hour; when each watching browser
showed it, and what the change cost the server and told the browsers not watching that day."""

import asyncio
import gc
import time
from typing import Any

import aiohttp

from pages.components.notices import COALESCE_SECONDS

from .browsers import Browser, NiceGuiBrowser
from .clinic import Prepared
from .server_group import ServerGroup

SETTLE = 0.5  # seconds to wait after the last watcher updated, for stragglers, noise and CPU to finish


async def measure_rounds(
    server: ServerGroup,
    http: aiohttp.ClientSession,
    prepared: Prepared,
    watchers: list[Browser],
    unaffected: list[Browser],
    rounds: int,
) -> dict[str, Any]:
    latencies: list[float] = []
    missed = noise = noisy_browsers = full_gcs = 0
    cpu = computations = queries = 0.0
    for _ in range(rounds):
        gc.collect()
        before = await server.stats(http)
        cpu_before = server.cpu_seconds
        started = time.monotonic()
        for b in watchers + unaffected:
            b.start_round(started)
        async with http.post(
            f'{server.base}/bench/change',
            params={'actor': prepared.doctor_user_id, 'doctor': prepared.doctor_id, 'day': str(prepared.day)},
        ) as response:
            response.raise_for_status()
        deadline = started + 30
        while any(b.updated_at is None for b in watchers) and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        await asyncio.sleep(SETTLE)
        cpu += server.cpu_seconds - cpu_before
        after = await server.stats(http)
        computations += after['slot_computations'] - before['slot_computations']
        queries += after['queries'] - before['queries']
        for b in watchers:
            if b.updated_at is None:
                missed += 1
            else:
                latencies.append(b.updated_at - started)
        noise += sum(b.noise for b in unaffected)
        noisy_browsers += sum(1 for b in unaffected if b.noise)
        full_gcs += after['full_gcs'] - before['full_gcs']
        for b in watchers + unaffected:
            if isinstance(b, NiceGuiBrowser):
                await b.acknowledge()
        await asyncio.sleep(SETTLE)  # let the server take the acknowledgements before the next change
        # Each change is measured on its own: a page pops up at most one notice per window for other people's
        # changes (their grid still updates at once), so the next change waits until this one's window is over.
        await asyncio.sleep(max(0.0, started + COALESCE_SECONDS - time.monotonic()))
    latencies.sort()
    return {
        'p50_ms': _ms(_quantile(latencies, 0.50)),
        'p95_ms': _ms(_quantile(latencies, 0.95)),
        'max_ms': _ms(latencies[-1]) if latencies else None,
        'missed_updates': missed,
        'cpu_ms_per_change': round(cpu * 1000 / rounds, 1),
        'slot_computations_per_change': round(computations / rounds, 2),
        'queries_per_change': round(queries / rounds, 1),
        'messages_to_unaffected_per_change': round(noise / rounds, 1),
        'unaffected_browsers_messaged_per_change': round(noisy_browsers / rounds, 1),
        'full_gcs_during_changes': full_gcs,
    }


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)
