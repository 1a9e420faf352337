"""Live fan-out: N browsers watch one doctor's day, M more watch other doctors or days; a doctor blocks or frees
half an hour through the service; how long until each watching browser shows it, what it costs the server, and
who else got messages. The app and the baseline design (`baseline_server`) are measured the same way, in turn.
"""

import asyncio
import gc
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from .browsers import BaselineBrowser, Browser, Net, NiceGuiBrowser
from .clinic import Prepared, prepare
from .server import Server, pin_load_generator, profiled, unpin_load_generator

OPENING_AT_ONCE = 20  # page loads in flight at a time while the audience builds up
SETTLE = 0.5  # seconds to wait after the last watcher updated, for stragglers, noise and CPU to finish


def run(
    sizes: list[int], others: int, rounds: int, logs: Path | None = None, profile: Path | None = None
) -> dict[str, Any]:
    """The app and the baseline, each as one process on SQLite."""
    pin_load_generator()
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare(Path(folder) / 'clinic', max(sizes) + others + 8)
        logs = logs or Path(folder)
        return {
            'sizes': sizes,
            'others': others,
            'rounds': rounds,
            'ours': asyncio.run(
                _measure(
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
                _measure(
                    'bench.fanout.baseline_server',
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
                    _measure(
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


async def _measure(
    module: str,
    prepared: Prepared,
    sizes: list[int],
    others: int,
    rounds: int,
    logs: Path,
    profile: Path | None,
    processes: int = 1,
) -> dict[str, Any]:
    kind = 'ours' if 'ours' in module else 'baseline'
    servers = []
    for index in range(processes):
        port = _free_port()
        core = index % 2 if processes > 1 else 0
        servers.append(Server(module, prepared.env(port), port, logs / f'{kind}-{index}.log', core=core))
        servers[-1].start()  # one after the other, as an operator would
    server = Group(servers)
    cookies = iter(prepared.cookies)
    results: dict[str, Any] = {'levels': []}
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar()) as http,
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True), cookie_jar=aiohttp.DummyCookieJar()
        ) as sockets,
    ):
        net = Net(http, sockets)

        def browser(doctor_id: int, day: str, watching: bool) -> Browser:
            if kind == 'ours':
                return NiceGuiBrowser(doctor_id, day, watching=watching, cookie=next(cookies))
            return BaselineBrowser(doctor_id, day, watching=watching)

        opened_so_far = 0

        async def open_all(browsers: list[Browser]) -> None:
            nonlocal opened_so_far
            gate = asyncio.Semaphore(OPENING_AT_ONCE)

            async def open_one(b: Browser, base: str) -> None:
                async with gate:
                    await b.open(net, base)  # type: ignore[attr-defined]

            bases = [server.base_for(opened_so_far + i) for i in range(len(browsers))]
            opened_so_far += len(browsers)
            await asyncio.gather(*(open_one(b, base) for b, base in zip(browsers, bases, strict=True)))

        try:
            # warm up (first page loads import and compile), then take the empty server's memory
            warm = [browser(prepared.other_doctor_id, str(prepared.other_day), False) for _ in range(4)]
            await open_all(warm)
            for b in warm:
                await b.close()
            await asyncio.sleep(1.5)
            results['rss_empty_mib'] = _mib(server.rss_bytes)
            day, other_day = str(prepared.day), str(prepared.other_day)
            unaffected = [browser(prepared.doctor_id, other_day, False) for _ in range(others // 2)]
            unaffected += [browser(prepared.other_doctor_id, day, False) for _ in range(others - others // 2)]
            await open_all(unaffected)
            watchers: list[Browser] = []
            for size in sizes:
                added = [browser(prepared.doctor_id, day, True) for _ in range(size - len(watchers))]
                opened = time.monotonic()
                await open_all(added)
                watchers += added
                open_seconds = time.monotonic() - opened
                await asyncio.sleep(1.0)
                ramp_gc = await server.stats(http)
                settled = await server.settle(http)
                with profiled(servers[0], profile / f'{kind}-{size}.txt' if profile and size == sizes[-1] else None):
                    level = await _rounds(server, http, prepared, watchers, unaffected, rounds)
                level.update(
                    watching=size,
                    clients=size + others,
                    rss_mib=_mib(server.rss_bytes),
                    longest_full_gc_while_opening_ms=ramp_gc['longest_full_gc_ms'],
                    full_gc_after_opening_ms=settled['ms'],
                    page_loads_per_second=round(len(added) / open_seconds, 1) if added else None,
                )
                results['levels'].append(level)
                print(f'  {kind:8} N={size:5}: p50 {level["p50_ms"]} ms, p95 {level["p95_ms"]} ms', flush=True)
            for b in watchers + unaffected:
                await b.close()
        finally:
            for one in servers:
                one.stop()
    last = results['levels'][-1]
    results['rss_per_client_kib'] = round((last['rss_mib'] - results['rss_empty_mib']) * 1024 / last['clients'], 1)
    return results


async def _rounds(
    server: 'Group',
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


class Group:
    """One or more server processes of the same kind, seen as one server."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.base = servers[0].base  # where changes are made

    def base_for(self, browser: int) -> str:
        return self.servers[browser % len(self.servers)].base

    @property
    def rss_bytes(self) -> int:
        return sum(server.rss_bytes for server in self.servers)

    @property
    def cpu_seconds(self) -> float:
        return sum(server.cpu_seconds for server in self.servers)

    async def stats(self, http: aiohttp.ClientSession) -> dict[str, float]:
        total: dict[str, float] = {}
        for server in self.servers:
            async with http.get(f'{server.base}/bench/stats') as response:
                for key, value in (await response.json()).items():
                    total[key] = (
                        max(total.get(key, 0), value) if key.startswith('longest') else total.get(key, 0) + value
                    )
        return total

    async def settle(self, http: aiohttp.ClientSession) -> dict[str, float]:
        longest = {'ms': 0.0}
        for server in self.servers:
            async with http.post(f'{server.base}/bench/settle') as response:
                longest['ms'] = max(longest['ms'], (await response.json())['ms'])
        return longest


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def _mib(value: int) -> float:
    return round(value / 2**20, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])
