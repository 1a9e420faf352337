"""The changes at one audience size, in one scenario: each round the patient in Chromium clicks the change (books or
cancels the watched time in the app; blocks or frees it on a baseline's page); when each watching browser showed it,
and what the change cost the server and told the browsers not watching that day.

A round's window runs from just before the click to SETTLE seconds after the last watching browser showed the change
(the settle tail): the server's CPU time, its slot computations, its own full garbage collections and the messages to
bystanders are read over that window. The load generator keeps its own garbage collector out of the way (see
`quiet_load_generator`); the server's is never touched.
"""

import asyncio
import contextlib
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp

from pages.components.notices import COALESCE_SECONDS

from .browsers import Browser, NiceGuiBrowser
from .patient import Patient
from .server_group import ServerGroup, full_gc_pauses
from .stats import latency_figures

SETTLE = 0.5  # seconds to wait after the last watcher updated, for stragglers, noise and CPU to finish
DEADLINE = 30.0  # seconds a watching browser may take before it counts as missed


@contextmanager
def quiet_load_generator() -> Iterator[None]:
    """The load generator's own collector neither pauses the simulated browsers nor times them wrongly while the
    changes are measured: what it holds is frozen out of collection and automatic collection is off meanwhile."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def measure_rounds(
    server: ServerGroup,
    http: aiohttp.ClientSession,
    patient: Patient,
    watchers: list[Browser],
    bystanders: Callable[[], list[Browser]],
    rounds: int,
) -> dict[str, Any]:
    """`bystanders()` are the open browsers not showing the changed day at the start of a round (it may grow)."""
    changes: list[list[float]] = []
    missed = noise = noisy_browsers = computations = queries = watcher_messages = middle_gcs = 0
    cpu = 0.0
    pauses: list[float] = []
    for _ in range(rounds):
        await patient.ready()
        others = bystanders()
        before = await server.stats(http)
        cpu_before = server.cpu_seconds
        started = time.monotonic()
        for b in watchers + others:
            b.start_round(started)
        await patient.click()
        try:
            await patient.confirmed()
        except AssertionError as failed:
            raise RuntimeError(f'the change was not confirmed: {failed}\n{await patient.page_text()}') from failed
        deadline = started + DEADLINE
        while any(b.updated_at is None for b in watchers) and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        await asyncio.sleep(SETTLE)
        cpu += server.cpu_seconds - cpu_before
        after = await server.stats(http)
        computations += after['slot_computations'] - before['slot_computations']
        queries += after['queries'] - before['queries']
        middle_gcs += after.get('middle_gcs', 0) - before.get('middle_gcs', 0)
        pauses += full_gc_pauses(before, after)
        shown = [b.updated_at - started for b in watchers if b.updated_at is not None]
        missed += len(watchers) - len(shown)
        changes.append(shown)
        noise += sum(b.noise for b in others)
        watcher_messages += sum(b.noise for b in watchers)
        noisy_browsers += sum(1 for b in others if b.noise)
        for b in watchers:
            if isinstance(b, NiceGuiBrowser):
                await b.acknowledge()
        for b in others:
            if isinstance(b, NiceGuiBrowser):
                with contextlib.suppress(ConnectionError, aiohttp.ClientError):  # an arriving page that left
                    await b.acknowledge()
        await asyncio.sleep(SETTLE)  # let the server take the acknowledgements before the next change
        # Each change is measured on its own: a page pops up at most one notice per window for other people's
        # changes (their grid still updates at once), so the next change waits until this one's window is over
        # (it began when the last watching browser got this change's popup).
        shown_last = max((b.updated_at for b in watchers if b.updated_at is not None), default=started)
        await asyncio.sleep(max(0.0, shown_last + COALESCE_SECONDS - time.monotonic()))
    return {
        **latency_figures(changes),
        'changes': rounds,
        'missed_updates': missed,
        'cpu_s_per_change': round(cpu / rounds, 3),
        'slot_computations_per_change': round(computations / rounds, 2),
        'queries_per_change': round(queries / rounds, 1),
        'messages_to_unaffected_per_change': round(noise / rounds, 1),
        'middle_gcs_during_changes': middle_gcs,
        'longest_middle_gc_so_far_ms': after.get('longest_middle_gc_ms'),
        'messages_per_watcher_per_change': round(watcher_messages / rounds / max(1, len(watchers)), 2),
        'unaffected_browsers_messaged_per_change': round(noisy_browsers / rounds, 1),
        'full_gcs_during_changes': len(pauses),
        'longest_full_gc_during_changes_ms': max(pauses, default=0.0),
    }
