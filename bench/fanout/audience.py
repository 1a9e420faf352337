"""One kind of server (the app or a baseline) measured at growing audiences: start its processes, warm up, sign the
patient in (Chromium), then open browsers level by level and, at each level, measure the changes in two scenarios:

- steady: the audience fully open, nothing arriving;
- arriving: new booking pages keep opening (and closing) on other doctors and days while the changes happen.

The servers run as shipped: nothing forces a garbage collection in them; their own full collections are counted.
"""

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import aiohttp

from .arrivals import Arrivals
from .browsers import BaselineBrowser, Browser, Net, NiceGuiBrowser
from .clinic import Prepared
from .node_baseline import NODE_BASELINE, node_server
from .patient import Patient
from .rounds import measure_rounds, quiet_load_generator
from .server import Server, profiled
from .server_group import ServerGroup
from .stats import kib_per_page

OPENING_AT_ONCE = 20  # page loads in flight at a time while the audience builds up
ARRIVING_PATIENTS = 20  # the last prepared sign-ins, shared by the arriving pages (a patient may open many tabs)
WARM_PAGES = 4


async def measure(
    module: str,
    prepared: Prepared,
    sizes: list[int],
    others: int,
    rounds: int,
    logs: Path,
    profile: Path | None,
    processes: int = 1,
    scenarios: tuple[str, ...] = ('steady', 'arriving'),
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
    cookies = iter(prepared.cookies[:-ARRIVING_PATIENTS])
    arriving_cookies = prepared.cookies[-ARRIVING_PATIENTS:]
    results: dict[str, Any] = {'levels': []}
    patient = Patient(kind, prepared)
    async with (
        aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar()) as http,
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True), cookie_jar=aiohttp.DummyCookieJar()
        ) as sockets,
    ):
        net = Net(http, sockets)

        def browser(doctor_id: int, day: str, watching: bool, cookie: str | None = None) -> Browser:
            if kind == 'ours':
                return NiceGuiBrowser(doctor_id, day, watching=watching, cookie=cookie or next(cookies))
            return BaselineBrowser(doctor_id, day, watching=watching)

        opened_so_far = 0

        def next_base() -> str:
            nonlocal opened_so_far
            opened_so_far += 1
            return server.base_for(opened_so_far - 1)

        async def open_all(browsers: list[Browser]) -> None:
            gate = asyncio.Semaphore(OPENING_AT_ONCE)

            async def open_one(b: Browser, base: str) -> None:
                async with gate:
                    await b.open(net, base)  # type: ignore[attr-defined]

            bases = [next_base() for _ in browsers]
            await asyncio.gather(*(open_one(b, base) for b, base in zip(browsers, bases, strict=True)))

        day, other_day = str(prepared.day), str(prepared.other_day)
        bystander_keys = ((prepared.doctor_id, other_day), (prepared.other_doctor_id, day))

        def arriving(index: int) -> Browser:
            doctor_id, shown = bystander_keys[index % 2]
            return browser(doctor_id, shown, False, cookie=arriving_cookies[index % len(arriving_cookies)])

        async def open_arriving(b: Browser) -> None:
            await b.open(net, next_base())  # type: ignore[attr-defined]

        try:
            # warm up (first page loads import and compile), then take the empty server's memory
            warm = [browser(prepared.other_doctor_id, other_day, False) for _ in range(WARM_PAGES)]
            await open_all(warm)
            for b in warm:
                await b.close()
            await asyncio.sleep(1.5)
            results['rss_empty_mib'] = _mib(server.rss_bytes)
            await patient.start(server.base)  # signs in through /login (the app), opens the watched day
            patient_pages = 2 if kind == 'ours' else 1
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
                opening = await server.stats(http)
                for scenario in scenarios:
                    arrivals = Arrivals(arriving, open_arriving) if scenario == 'arriving' else None
                    if arrivals is not None:
                        arrivals.start()
                        await asyncio.sleep(2.0)  # the trickle under way before the first change

                    def bystanders(arrivals: Arrivals | None = arrivals) -> list[Browser]:
                        return unaffected + (arrivals.loaded() if arrivals else [])

                    output = profile / f'{kind}-{size}-{scenario}.txt' if profile and size == sizes[-1] else None
                    with profiled(servers[0], output), quiet_load_generator():
                        level = await measure_rounds(server, http, patient, watchers, bystanders, rounds)
                    clients = size + others + patient_pages + (len(arrivals.open) if arrivals else 0)
                    rss = _mib(server.rss_bytes)
                    if arrivals is not None:
                        await arrivals.stop()
                        level.update(
                            arrivals_per_second=arrivals.rate,
                            arrived_pages=arrivals.opened,
                            arrivals_failed=arrivals.failed,
                        )
                    level.update(
                        scenario=scenario,
                        watching=size,
                        clients=clients,
                        rss_mib=rss,
                        kib_per_page=kib_per_page(rss, results['rss_empty_mib'], clients),
                        full_gcs_while_opening=opening['full_gcs'],
                        longest_full_gc_so_far_ms=opening['longest_full_gc_ms'],
                        page_loads_per_second=round(len(added) / open_seconds, 1) if added else None,
                    )
                    results['levels'].append(level)
                    print(
                        f'  {kind:8} N={size:5} {scenario:8}: p50 {level["p50_ms"]} ms, p95 {level["p95_ms"]} ms, '
                        f'stall ratio {level["stall_ratio"]}, full GCs {level["full_gcs_during_changes"]}',
                        flush=True,
                    )
            for b in watchers + unaffected:
                await b.close()
        finally:
            await patient.close()
            for one in servers:
                one.stop()
    steady = [level for level in results['levels'] if level['scenario'] == 'steady'] or results['levels']
    results['rss_per_client_kib'] = steady[-1]['kib_per_page'] if steady else None
    return results


def _mib(value: int) -> float:
    return round(value / 2**20, 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])
