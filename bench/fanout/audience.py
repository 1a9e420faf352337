"""One kind of server (the app or the baseline) measured at growing audiences: start its processes, warm up, then
open browsers level by level and measure the changes at each level."""

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import aiohttp

from .browsers import BaselineBrowser, Browser, Net, NiceGuiBrowser
from .clinic import Prepared
from .node_baseline import NODE_BASELINE, node_server
from .rounds import measure_rounds
from .server import Server, profiled
from .server_group import ServerGroup

OPENING_AT_ONCE = 20  # page loads in flight at a time while the audience builds up


async def measure(
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
    if module == NODE_BASELINE:
        profile = None  # py-spy samples Python stacks only
    servers = []
    for index in range(processes):
        port = _free_port()
        core = index % 2 if processes > 1 else 0
        log = logs / f'{kind}-{index}.log'
        if module == NODE_BASELINE:
            servers.append(node_server(prepared.env(port), port, log, core=core))
        else:
            servers.append(Server(module, prepared.env(port), port, log, core=core))
        servers[-1].start()  # one after the other, as an operator would
    server = ServerGroup(servers)
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
                    level = await measure_rounds(server, http, prepared, watchers, unaffected, rounds)
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


def _mib(value: int) -> float:
    return round(value / 2**20, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])
