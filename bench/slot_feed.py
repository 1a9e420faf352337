"""The live slot feed's fan-out (issue 19): N listeners on `GET /api/v1/doctors/{id}/slots/stream?day=` (server-sent
events), and how long each change takes to reach all of them.

`python -m bench.slot_feed [--listeners 100,1000] [--rounds 10] [--client-processes K] [--auth public|token]`, and
`run()` for `python -m bench`. The app runs as shipped, as the page fan-out runs it (bench/fanout/ours_server.py, its
own core, SQLite prepared by bench/fanout/clinic.py, nothing forcing a garbage collection), with
CLINIC_PUBLIC_SLOT_FEED=true by default (anonymous listeners, as a clinic's website would show the feed; `--auth token`
sends one read-only token instead, but the API allows a token 300 requests a minute, so at most 300 listeners).

The listeners are aiohttp streaming clients on the load generator's core, reading the stream as an EventSource does
(bench/fanout/patient.py's Chromium shares that core); by default all in the benchmark process, or spread over K
client processes (`--client-processes`; time.monotonic is one clock for every process of the machine). A level opens
listeners until N are open and each got its first list, then makes the changes exactly as the page fan-out does: the
patient signed in through /login in Chromium books 14:00 of the watched day on /book, then cancels it on /appointments,
in turns. A listener receives a change with the first `slots` event after the click whose list has 14:00 free or not,
as the change left it. Latency is from just before the click to that event's arrival in the listener's process.

The server's CPU, slot computations (the same counter as the page fan-out's, GET /bench/stats) and full garbage
collections are read over each change's window: from just before the click to SETTLE s after the last listener got
it. The load generator's own CPU over the same window is reported too: a figure near the window's length would mean
the listeners, not the server, set the pace. Memory per listener: the server's RSS after a level's changes above the
empty server's (warmed up, the patient's two pages open, no listener), divided by N.
"""

import argparse
import asyncio
import codecs
import gc
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import aiohttp

from bench.fanout.audience import _free_port
from bench.fanout.clinic import BLOCKED, Prepared, prepare, settings
from bench.fanout.patient import Patient
from bench.fanout.rounds import quiet_load_generator
from bench.fanout.server import Server, pin_load_generator
from bench.fanout.server_group import ServerGroup, full_gc_pauses
from bench.fanout.stats import kib_per_page, latency_figures

SIZES, ROUNDS = [100, 1000], 10
QUICK_SIZES, QUICK_ROUNDS = [10, 50], 3
OPENING_AT_ONCE = 20  # feed requests in flight at a time while the listeners open
WARM_LISTENERS = 4  # opened and closed before the empty server's memory is taken
SETTLE = 0.5  # seconds after the last listener got the change, for stragglers and the server's CPU to finish
DEADLINE = 30.0  # seconds a listener may take before it counts as missed
FIRST_LIST_WAIT = 60.0  # seconds a new listener may take to get its first list
FREE_MARK = f'"label":"{BLOCKED[0]:%H:%M}"'  # in a `slots` event's JSON when 14:00 is free (for some kind of visit)
AUTH = {
    'public': 'CLINIC_PUBLIC_SLOT_FEED=true, anonymous listeners (no token)',
    'token': "one read-only token of the clicking patient's (Authorization: Bearer), shared by every listener",
}


class EventStream:
    """Server-sent events from a byte stream cut anywhere: `feed` returns the events completed so far, each as
    (event name, data); comments (the pings) and events without data are skipped."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder('utf-8')()
        self._buffer = ''

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        # '\r\n' (sse-starlette's separator) becomes '\n'; a '\r' at the end waits for the '\n' of the next chunk
        self._buffer = (self._buffer + self._decoder.decode(chunk)).replace('\r\n', '\n')
        *blocks, self._buffer = self._buffer.split('\n\n')
        events = []
        for block in blocks:
            name, data = 'message', []
            for line in block.split('\n'):
                field, _, value = line.partition(':')
                value = value.removeprefix(' ')
                if field == 'event':
                    name = value
                elif field == 'data':
                    data.append(value)
            if data:
                events.append((name, '\n'.join(data)))
        return events


class Listener:
    """One feed listener. Per round: when the first list showing the change arrived, and how many lists came."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self.headers = url, headers
        self.first_list = asyncio.Event()
        self.lists = 0
        self.failure: str | None = None
        self.round_started = math.inf  # no round yet
        self.expect_free = True
        self.updated_at: float | None = None
        self.lists_in_round = 0
        self._task: asyncio.Task[None] | None = None

    def start(self, http: aiohttp.ClientSession) -> None:
        self._task = asyncio.create_task(self._listen(http))

    def start_round(self, at: float, expect_free: bool) -> None:
        self.round_started, self.expect_free, self.updated_at, self.lists_in_round = at, expect_free, None, 0

    def got(self, arrived: float, data: str) -> None:
        self.lists += 1
        self.first_list.set()
        if arrived < self.round_started:
            return
        self.lists_in_round += 1
        if self.updated_at is None and (FREE_MARK in data) == self.expect_free:
            self.updated_at = arrived

    async def _listen(self, http: aiohttp.ClientSession) -> None:
        try:
            async with http.get(self.url, headers=self.headers) as response:
                if response.status != 200 or not response.headers.get('content-type', '').startswith(
                    'text/event-stream'
                ):
                    self.failure = f'the feed answered {response.status}: {(await response.text())[:300]}'
                    return
                stream = EventStream()
                async for chunk in response.content.iter_any():
                    arrived = time.monotonic()
                    for name, data in stream.feed(chunk):
                        if name == 'slots':
                            self.got(arrived, data)
            self.failure = 'the feed ended'
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.failure = f'{type(error).__name__}: {error}'
        finally:
            self.first_list.set()  # whoever waits for the first list learns of the failure

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


class Listeners(Protocol):
    """Some of the listeners (in this process, or in a client process)."""

    async def open(self, count: int) -> None: ...

    async def start_round(self, at: float, expect_free: bool) -> None: ...

    async def collect(self, deadline: float) -> tuple[list[float | None], int]: ...

    def cpu_seconds(self) -> float: ...

    async def close(self) -> None: ...


class LocalListeners:
    """Listeners read by this process's event loop."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self.headers = url, headers
        self.listeners: list[Listener] = []
        self._http: aiohttp.ClientSession | None = None

    async def open(self, count: int) -> None:
        if self._http is None:
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, force_close=True),
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None),
            )
        gate = asyncio.Semaphore(OPENING_AT_ONCE)

        async def open_one() -> Listener:
            async with gate:
                listener = Listener(self.url, self.headers)
                assert self._http is not None
                listener.start(self._http)
                await asyncio.wait_for(listener.first_list.wait(), FIRST_LIST_WAIT)
                if listener.failure is not None:
                    await listener.close()
                    raise RuntimeError(f'a listener did not open: {listener.failure}')
                return listener

        self.listeners += await asyncio.gather(*(open_one() for _ in range(count)))

    async def start_round(self, at: float, expect_free: bool) -> None:
        for listener in self.listeners:
            listener.start_round(at, expect_free)

    async def collect(self, deadline: float) -> tuple[list[float | None], int]:
        """Wait until every listener got the change (or the deadline passed): each one's latency, and the lists
        that arrived in the round."""
        while any(one.updated_at is None for one in self.listeners) and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        latencies = [None if one.updated_at is None else one.updated_at - one.round_started for one in self.listeners]
        return latencies, sum(one.lists_in_round for one in self.listeners)

    def cpu_seconds(self) -> float:
        return _cpu_seconds(os.getpid())

    async def close(self) -> None:
        await asyncio.gather(*(one.close() for one in self.listeners))
        self.listeners = []
        if self._http is not None:
            await self._http.close()
            self._http = None


class ClientProcess:
    """Listeners in a client process of their own (`python -m bench.slot_feed --worker`), driven over its stdin and
    stdout, one JSON line each way per command."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url, self.headers = url, headers
        self._process: asyncio.subprocess.Process | None = None

    async def _ask(self, command: dict[str, Any]) -> Any:
        if self._process is None:
            self._process = await asyncio.create_subprocess_exec(
                sys.executable,
                '-m',
                'bench.slot_feed',
                '--worker',
                json.dumps({'url': self.url, 'headers': self.headers}),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=2**24,
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(command).encode() + b'\n')
        await self._process.stdin.drain()
        line = await self._process.stdout.readline()
        if not line:
            raise RuntimeError(f'a client process ended (exit code {await self._process.wait()})')
        answer = json.loads(line)
        if 'error' in answer:
            raise RuntimeError(f'a client process failed: {answer["error"]}')
        return answer['result']

    async def open(self, count: int) -> None:
        await self._ask({'do': 'open', 'count': count})

    async def start_round(self, at: float, expect_free: bool) -> None:
        await self._ask({'do': 'start_round', 'at': at, 'expect_free': expect_free})

    async def collect(self, deadline: float) -> tuple[list[float | None], int]:
        latencies, lists = await self._ask({'do': 'collect', 'deadline': deadline})
        return latencies, lists

    def cpu_seconds(self) -> float:
        return _cpu_seconds(self._process.pid) if self._process is not None else 0.0

    async def close(self) -> None:
        if self._process is None:
            return
        await self._ask({'do': 'close'})
        await self._process.wait()
        self._process = None


async def _worker(config: str) -> None:
    """A client process: its listeners, and the commands of the benchmark process on stdin. Its collector stays off
    (the listeners make little garbage), so it never pauses them."""
    gc.disable()
    given = json.loads(config)
    local = LocalListeners(given['url'], given['headers'])
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader(limit=2**24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    while line := await commands.readline():
        command = json.loads(line)
        try:
            result: Any = None
            if command['do'] == 'open':
                await local.open(command['count'])
                gc.collect()
                gc.freeze()
            elif command['do'] == 'start_round':
                await local.start_round(command['at'], command['expect_free'])
            elif command['do'] == 'collect':
                result = await local.collect(command['deadline'])
            elif command['do'] == 'close':
                await local.close()
            answer: dict[str, Any] = {'result': result}
        except Exception as error:
            answer = {'error': f'{type(error).__name__}: {error}'}
        sys.stdout.write(json.dumps(answer) + '\n')
        sys.stdout.flush()
        if command['do'] == 'close':
            return


def _cpu_seconds(pid: int) -> float:
    """CPU time of every thread of a process so far (from schedstat, as the server's)."""
    total = 0
    for task in Path(f'/proc/{pid}/task').iterdir():
        try:
            total += int((task / 'schedstat').read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1e9


def others_cpu_seconds() -> float:
    """CPU time the whole machine spent so far outside this process and its descendants (the server, Chromium, the
    client processes): what other work on the machine took from the measurement (USER_HZ resolution)."""
    tick = os.sysconf('SC_CLK_TCK')
    with open('/proc/stat') as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in stat.readline().split()[1:9])
    machine = user + nice + system + irq + softirq + steal
    children: dict[int, list[int]] = {}
    used: dict[int, int] = {}
    for entry in os.scandir('/proc'):
        if not entry.name.isdigit():
            continue
        try:
            with open(f'/proc/{entry.name}/stat') as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        used[pid] = sum(int(v) for v in fields[11:15])  # utime, stime, and those of its children it reaped
    mine, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        mine += used.get(pid, 0)
        todo += children.get(pid, [])
    return (machine - mine) / tick


def spread(count: int, parts: int) -> list[int]:
    """`count` listeners over `parts` client processes, as evenly as can be."""
    return [count // parts + (1 if index < count % parts else 0) for index in range(parts)]


def figures(
    changes: list[list[float | None]],
    lists: int,
    listeners: int,
    cpu: float,
    client_cpu: float,
    computations: int,
    others_cpu: float = 0.0,
) -> dict[str, Any]:
    """A level's figures from each change's latencies (one per listener, None for one that never got it), the lists
    that arrived in the rounds, and the server's and the load generator's CPU and slot computations over them."""
    rounds = len(changes)
    got = [[latency for latency in change if latency is not None] for change in changes]
    return {
        **latency_figures(got),
        'changes': rounds,
        'missed_updates': sum(len(change) - len(shown) for change, shown in zip(changes, got, strict=True)),
        'lists_per_listener_per_change': round(lists / rounds / listeners, 2) if rounds and listeners else None,
        'cpu_s_per_change': round(cpu / rounds, 3) if rounds else None,
        'load_generator_cpu_s_per_change': round(client_cpu / rounds, 3) if rounds else None,
        'slot_computations_per_change': round(computations / rounds, 2) if rounds else None,
        'others_cpu_s_per_change': round(others_cpu / rounds, 3) if rounds else None,
    }


def broken_invariants(results: dict[str, Any]) -> list[str]:
    """What fails `python -m bench` here: a listener that never got a change, or other than one slot computation
    per change (never an absolute time)."""
    failures = []
    for level in results['levels']:
        at = f'slot feed N={level["listeners"]}'
        if level['missed_updates']:
            failures.append(f'{at}: {level["missed_updates"]} (listener, change) pairs never got the new list')
        if level['slot_computations_per_change'] != 1:
            failures.append(f'{at}: {level["slot_computations_per_change"]} slot computations per change, not 1')
    return failures


async def measure(
    prepared: Prepared,
    sizes: list[int],
    rounds: int,
    logs: Path,
    client_processes: int = 1,
    auth: str = 'public',
) -> dict[str, Any]:
    port = _free_port()
    env = prepared.env(port)
    headers = {'Accept': 'text/event-stream', 'Cache-Control': 'no-cache'}
    # every listener here comes from 127.0.0.1, where a website's visitors come from their own addresses each: the
    # per-address and per-process caps are raised to the largest size (the one setting a clinic would change)
    env['CLINIC_SLOT_FEED_PER_ADDRESS'] = env['CLINIC_SLOT_FEED_LISTENERS'] = str(max(sizes) + 10)
    if auth == 'public':
        env['CLINIC_PUBLIC_SLOT_FEED'] = 'true'
    else:
        env.pop('CLINIC_PUBLIC_SLOT_FEED', None)
        headers['Authorization'] = f'Bearer {_read_token(prepared)}'
    server = Server('bench.fanout.ours_server', env, port, logs / 'slot-feed-server.log')
    url = f'{server.base}/api/v1/doctors/{prepared.doctor_id}/slots/stream?day={prepared.day}'
    group = ServerGroup([server])
    patient = Patient('ours', prepared)
    parts: list[Listeners] = (
        [LocalListeners(url, headers)]
        if client_processes <= 1
        else [ClientProcess(url, headers) for _ in range(client_processes)]
    )
    results: dict[str, Any] = {
        'sizes': sizes,
        'rounds': rounds,
        'auth': auth,
        'auth_text': AUTH[auth],
        'client_processes': max(1, client_processes),
        'levels': [],
    }
    server.start()
    try:
        async with aiohttp.ClientSession() as http:
            await patient.start(server.base)  # signs in through /login, opens /book on the watched day, /appointments
            warm = LocalListeners(url, headers)
            await warm.open(WARM_LISTENERS)
            await warm.close()
            await asyncio.sleep(1.5)
            results['rss_empty_mib'] = _mib(server.rss_bytes)
            with quiet_load_generator():
                results['no_listener'] = await _rounds(group, http, patient, [], rounds)
            opened = 0
            for size in sizes:
                started = time.monotonic()
                added = size - opened
                await asyncio.gather(
                    *(part.open(count) for part, count in zip(parts, spread(added, len(parts)), strict=True))
                )
                open_seconds = time.monotonic() - started
                opened = size
                await asyncio.sleep(1.0)
                with quiet_load_generator():
                    level = await _rounds(group, http, patient, parts, rounds)
                rss = _mib(server.rss_bytes)
                level.update(
                    listeners=size,
                    rss_mib=rss,
                    kib_per_listener=kib_per_page(rss, results['rss_empty_mib'], size),
                    opened_per_second=round(added / open_seconds, 1) if added else None,
                )
                results['levels'].append(level)
                print(
                    f'  slot feed N={size:5}: p50 {level["p50_ms"]} ms, p95 {level["p95_ms"]} ms, max '
                    f'{level["max_ms"]} ms, missed {level["missed_updates"]}, stall ratio {level["stall_ratio"]}',
                    flush=True,
                )
            for part in parts:
                await part.close()
    finally:
        await patient.close()
        server.stop()
    return results


async def _rounds(
    server: ServerGroup, http: aiohttp.ClientSession, patient: Patient, parts: list[Listeners], rounds: int
) -> dict[str, Any]:
    changes: list[list[float | None]] = []
    lists = computations = 0
    cpu = client_cpu = others_cpu = 0.0
    pauses: list[float] = []
    for _ in range(rounds):
        await patient.ready()
        before = await server.stats(http)
        others_before = others_cpu_seconds()
        cpu_before = server.cpu_seconds
        client_before = _load_generator_cpu(parts)
        started = time.monotonic()
        expect_free = not patient.booking_next  # booking takes 14:00, cancelling frees it again
        for part in parts:
            await part.start_round(started, expect_free)
        await patient.click()
        try:
            await patient.confirmed()
        except AssertionError as failed:
            raise RuntimeError(f'the change was not confirmed: {failed}\n{await patient.page_text()}') from failed
        collected = await asyncio.gather(*(part.collect(started + DEADLINE) for part in parts))
        await asyncio.sleep(SETTLE)
        cpu += server.cpu_seconds - cpu_before
        client_cpu += _load_generator_cpu(parts) - client_before
        others_cpu += others_cpu_seconds() - others_before
        after = await server.stats(http)
        computations += after['slot_computations'] - before['slot_computations']
        pauses += full_gc_pauses(before, after)
        changes.append([latency for latencies, _ in collected for latency in latencies])
        lists += sum(count for _, count in collected)
    listeners = len(changes[0]) if changes else 0
    level = figures(changes, lists, listeners, cpu, client_cpu, computations, others_cpu)
    level.update(full_gcs_during_changes=len(pauses), longest_full_gc_during_changes_ms=max(pauses, default=0.0))
    return level


def _load_generator_cpu(parts: list[Listeners]) -> float:
    """The listeners' CPU: this process's when they are here (the patient's Playwright calls included), else the
    client processes'."""
    if not parts or isinstance(parts[0], LocalListeners):
        return _cpu_seconds(os.getpid())
    return sum(part.cpu_seconds() for part in parts)


def _read_token(prepared: Prepared) -> str:
    """A read-only token of the clicking patient's, made in the prepared clinic before the server starts."""
    from sqlmodel import select

    from models import TokenScope, User
    from services.api_tokens import create_token
    from services.startup import open_clinic

    clinic = open_clinic(settings(prepared.folder, prepared.database_url))
    try:
        with clinic.db.reading() as session:
            patient_id = session.exec(select(User.id).where(User.email == prepared.patient_email)).one()
        assert patient_id is not None
        _, secret = create_token(clinic, actor_id=patient_id, name='slot feed benchmark', scope=TokenScope.read)
        return secret
    finally:
        clinic.db.dispose()


def _mib(value: int) -> float:
    return round(value / 2**20, 1)


def run(
    sizes: list[int],
    rounds: int,
    client_processes: int = 1,
    auth: str = 'public',
    logs: Path | None = None,
) -> dict[str, Any]:
    """The feed at each N in `sizes` (listeners accumulate from one size to the next), `rounds` changes each."""
    sizes = sorted(sizes)
    if auth == 'token' and sizes[-1] > 250:
        raise ValueError('one token may make 300 requests a minute: --auth token takes at most 250 listeners')
    pin_load_generator()  # the server has core 0; the listeners, their client processes and Chromium core 1
    with tempfile.TemporaryDirectory() as folder:
        prepared = prepare(Path(folder) / 'clinic', browsers=0)
        return asyncio.run(measure(prepared, sizes, rounds, logs or Path(folder), client_processes, auth))


def table(results: dict[str, Any]) -> None:
    """The feed's table, in the page fan-out's columns where they mean the same."""
    idle = results['no_listener']
    print(
        f'slot feed (issue 19): N listeners on GET /api/v1/doctors/{{id}}/slots/stream (server-sent events) of the '
        f"watched day, {results['rounds']} changes per N, each the same Chromium click as the page fan-out's; "
        f'{results["auth_text"]}; listeners: aiohttp streaming clients in '
        + (
            'the benchmark process'
            if results['client_processes'] == 1
            else f'{results["client_processes"]} client processes'
        )
        + " on the load generator's core"
    )
    print(
        f'{"":8} {"N":>5} {"p50":>6} {"p95":>6} {"max":>6} {"chg p50":>7} {"slowest":>7} {"stall":>5} {"missed":>6} '
        f'{"lists":>5} {"CPU s":>6} {"gen s":>6} {"other":>6} {"slots":>5} {"GCs":>3} {"RSS MiB":>7} {"KiB/ls":>6}'
    )
    for lv in results['levels']:
        print(
            f'{"feed":8} {lv["listeners"]:>5} {_n(lv["p50_ms"]):>6} {_n(lv["p95_ms"]):>6} {_n(lv["max_ms"]):>6} '
            f'{_n(lv["median_change_p50_ms"]):>7} {_n(lv["slowest_change_p50_ms"]):>7} {_n(lv["stall_ratio"]):>5} '
            f'{lv["missed_updates"]:>6} {_n(lv["lists_per_listener_per_change"]):>5} {lv["cpu_s_per_change"]:>6} '
            f'{lv["load_generator_cpu_s_per_change"]:>6} {lv["others_cpu_s_per_change"]:>6} '
            f'{lv["slot_computations_per_change"]:>5} '
            f'{lv["full_gcs_during_changes"]:>3} {lv["rss_mib"]:>7} {_n(lv["kib_per_listener"]):>6}'
        )
    print(
        f"{'feed':8} memory: {results['rss_empty_mib']} MiB with no listener (the patient's two pages open); with no "
        f'listener a change costs the server {idle["cpu_s_per_change"]} CPU s and '
        f'{idle["slot_computations_per_change"]} slot computations'
    )
    print(
        '(ms: click -> the new list received, over every (listener, change) pair; missed = (listener, change) pairs '
        "never received; lists = slots events per listener per change; CPU s = the server's per change (the booking "
        "or cancelling and the patient's own pages included), gen s = the load generator's (the listeners' "
        'process or processes), other = what processes outside the benchmark took of the machine meanwhile (0 on a '
        'quiet machine); slots = slot computations per change; KiB/ls = server memory above the empty server per '
        'open listener)'
    )


def _n(value: object) -> str:
    return '-' if value is None else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--listeners', default=','.join(map(str, SIZES)), help='listeners per level, e.g. 100,1000')
    parser.add_argument('--rounds', type=int, default=ROUNDS, help='changes per level')
    parser.add_argument(
        '--client-processes', type=int, default=1, help='spread the listeners over this many client processes'
    )
    parser.add_argument('--auth', choices=tuple(AUTH), default='public', help='the public feed, or one token')
    parser.add_argument('--worker', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        asyncio.run(_worker(args.worker))
        return
    results = run(
        [int(size) for size in args.listeners.split(',')],
        args.rounds,
        client_processes=args.client_processes,
        auth=args.auth,
    )
    table(results)
    print(json.dumps(results, sort_keys=True))


if __name__ == '__main__':
    main()
