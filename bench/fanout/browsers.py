"""Simulated browsers speaking the real protocols: an HTTP page load, then Engine.IO v4 / Socket.IO over a
websocket, exactly as a browser's socket.io client does it (open packet, namespace connect, ping/pong).

Frames are timestamped the moment they arrive and parsed only as far as needed, so 1000 browsers fit in one
load-generating process without it becoming the bottleneck it measures.
"""

import asyncio
import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

CLIENT_ID = re.compile(r"""["']client_id["']:\s*["']([^"']+)["']""")
NEXT_MESSAGE_ID = re.compile(r"""["']next_message_id["']:\s*(\d+)""")


@dataclass(frozen=True)
class Net:
    """The load generator's connections: pooled keep-alive HTTP for pages and refetches; for websockets a fresh
    TCP connection each, as browsers open them (never one the server may still time out as idle keep-alive)."""

    pages: aiohttp.ClientSession
    sockets: aiohttp.ClientSession


class Socket:
    """One Socket.IO connection on the default namespace, over a websocket."""

    def __init__(self, on_event: Callable[[float, str, str], None]) -> None:
        self._on_event = on_event  # (arrival time, event name, raw frame)
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.tasks: set[asyncio.Future[Any]] = set()

    def later(self, work: Awaitable[Any]) -> None:
        """Run work without waiting for it (a pong, a refetch), keeping a reference until it is done."""
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def connect(self, net: Net, url: str, cookie: str | None = None) -> None:
        headers = {'Cookie': cookie} if cookie else {}
        self._ws = await net.sockets.ws_connect(url, headers=headers, autoping=True, max_msg_size=0)
        opened = await self._ws.receive_str(timeout=30)
        if not opened.startswith('0'):
            raise RuntimeError(f'expected an Engine.IO open packet, got {opened[:80]!r}')
        await self._ws.send_str('40')  # connect to the default namespace (this runs the server's handshake)
        while True:
            reply = await self._ws.receive_str(timeout=30)
            if reply.startswith('40'):
                break
            if reply.startswith('44'):
                raise RuntimeError(f'connection refused: {reply}')
            self._handle(time.monotonic(), reply)  # an event that overtook the connect reply
        self._reader = asyncio.create_task(self._read())

    async def emit(self, event: str, data: object) -> None:
        assert self._ws is not None
        await self._ws.send_str('42' + json.dumps([event, data]))

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            arrived = time.monotonic()
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            self._handle(arrived, message.data)

    def _handle(self, arrived: float, frame: str) -> None:
        if frame == '2':  # Engine.IO ping
            assert self._ws is not None
            self.later(self._ws.send_str('3'))
        elif frame.startswith('42['):
            name = frame[4 : frame.index('"', 4)]
            self._on_event(arrived, name, frame)


class Browser:
    """What a benchmark round needs to know about one browser: when its page showed the change, and its noise."""

    def __init__(self, doctor_id: int, day: str, *, watching: bool) -> None:
        self.doctor_id, self.day, self.watching = doctor_id, day, watching
        self.socket = Socket(self._event)
        self.round_started = 0.0
        self.updated_at: float | None = None
        self.noise = 0  # socket events this round

    def start_round(self, at: float) -> None:
        self.round_started, self.updated_at, self.noise = at, None, 0

    def _event(self, arrived: float, name: str, frame: str) -> None:
        self.noise += 1

    async def close(self) -> None:
        await self.socket.close()


class NiceGuiBrowser(Browser):
    """The app's booking page: it shows a change when the day's new list of free times arrives (one `clinic_slots`
    event, which the page's grid draws, popping up the change when someone else made it). Like NiceGUI's browser
    code, it acknowledges only the page's own numbered messages, when some arrived."""

    def __init__(self, doctor_id: int, day: str, *, watching: bool, cookie: str) -> None:
        super().__init__(doctor_id, day, watching=watching)
        self.cookie = cookie
        self.client_id = ''
        self._numbered = False  # a message of the page's own (an element update, a popup) arrived since the last ack

    async def open(self, net: Net, base: str) -> None:
        async with net.pages.get(
            f'{base}/book?doctor={self.doctor_id}&day={self.day}', headers={'Cookie': self.cookie}
        ) as response:
            html = await response.text()
            if response.status != 200 or response.url.path != '/book':
                raise RuntimeError(f'booking page answered {response.status} at {response.url}')
        client, next_id = CLIENT_ID.search(html), NEXT_MESSAGE_ID.search(html)
        if client is None or next_id is None:
            raise RuntimeError('no socket query in the booking page')
        self.client_id = client.group(1)
        query = {
            'client_id': self.client_id,
            'next_message_id': next_id.group(1),
            'implicit_handshake': 'true',
            'document_id': str(uuid.uuid4()),
            'tab_id': str(uuid.uuid4()),
            'EIO': '4',
            'transport': 'websocket',
        }
        await self.socket.connect(net, f'{base}/_nicegui_ws/socket.io/?{urlencode(query)}', self.cookie)

    def _event(self, arrived: float, name: str, frame: str) -> None:
        super()._event(arrived, name, frame)
        if name != 'clinic_slots':
            self._numbered = True
        elif arrived >= self.round_started and self.updated_at is None:
            self.updated_at = arrived

    async def acknowledge(self) -> None:
        """Tell the server which of its numbered messages arrived, as NiceGUI's browser code does (not for the room
        messages, which carry no number)."""
        if self._numbered:
            self._numbered = False
            await self.socket.emit('ack', {'client_id': self.client_id, 'next_message_id': 10**9})


class BaselineBrowser(Browser):
    """The old design's page: on any availability event for its doctor it refetches its slot list."""

    def __init__(self, doctor_id: int, day: str, *, watching: bool) -> None:
        super().__init__(doctor_id, day, watching=watching)
        self._http: aiohttp.ClientSession | None = None
        self._base = ''
        self.slots: list[str] = []

    async def open(self, net: Net, base: str) -> None:
        self._http, self._base = net.pages, base
        async with net.pages.get(f'{base}/book?doctor={self.doctor_id}&day={self.day}') as response:
            await response.text()
        await self._refetch()
        await self.socket.connect(net, f'{base}/socket.io/?EIO=4&transport=websocket')

    def _event(self, arrived: float, name: str, frame: str) -> None:
        super()._event(arrived, name, frame)
        if name == 'availability_changed' and json.loads(frame[2:])[1]['doctor_id'] == self.doctor_id:
            self.socket.later(self._refetched(arrived))

    async def _refetched(self, arrived: float) -> None:
        await self._refetch()
        if arrived >= self.round_started and self.updated_at is None:
            self.updated_at = time.monotonic()

    async def _refetch(self) -> None:
        assert self._http is not None
        async with self._http.get(f'{self._base}/api/slots?doctor={self.doctor_id}&day={self.day}') as response:
            self.slots = [slot['label'] for slot in (await response.json())['slots']]
