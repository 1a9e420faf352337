"""The fan-out benchmark's Node.js baseline (bench/node_baseline, the seed's Express + Socket.IO design) runs, and
speaks the Socket.IO protocol python-socketio's client does: one change reaches every socket, the bystander's too
(that is the design the app replaces), and the slots the browsers refetch show it."""

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
import socketio

from bench.fanout.node_baseline import NodeUnavailable, ensure_installed, running

DOCTOR, BYSTANDERS_DOCTOR, DAY = 1, 2, '2030-01-07'  # a Monday


@pytest.fixture(scope='module')
def node_installed() -> None:
    try:
        ensure_installed()
    except NodeUnavailable as reason:
        pytest.skip(f'Node.js baseline unavailable: {reason}')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return int(s.getsockname()[1])


async def _listener(base: str, transports: list[str]) -> tuple[socketio.AsyncClient, asyncio.Queue[dict]]:
    client = socketio.AsyncClient(reconnection=False)
    heard: asyncio.Queue[dict] = asyncio.Queue()
    client.on('availability_changed', heard.put_nowait)
    await client.connect(base, transports=transports, wait_timeout=10)
    return client, heard


async def _labels(http: aiohttp.ClientSession, base: str, doctor: int) -> list[str]:
    async with http.get(f'{base}/api/slots', params={'doctor': str(doctor), 'day': DAY}) as response:
        response.raise_for_status()
        return [slot['label'] for slot in (await response.json())['slots']]


async def test_one_change_reaches_every_socket_and_the_refetched_slots(node_installed: None, tmp_path: Path) -> None:
    port = _free_port()
    with running(port, tmp_path / 'node.log') as server:
        async with aiohttp.ClientSession() as http:
            async with http.get(f'{server.base}/book', params={'doctor': str(DOCTOR), 'day': DAY}) as page:
                assert page.status == 200
                html = await page.text()
                assert 'availability_changed' in html
                assert 'data-testid="toggle"' in html and '/api/toggle' in html  # the button Chromium clicks
            before = await _labels(http, server.base, DOCTOR)
            assert before[0] == '09:00' and before[-1] == '16:30' and len(before) == 14
            assert '12:00' not in before  # the lunch hour

            watcher, watcher_heard = await _listener(server.base, ['polling', 'websocket'])
            bystander, bystander_heard = await _listener(server.base, ['websocket'])
            try:
                async with http.get(f'{server.base}/bench/stats') as response:
                    assert (await response.json())['clients'] == 2
                async with http.post(f'{server.base}/api/toggle', params={'doctor': str(DOCTOR), 'day': DAY}) as done:
                    assert (await done.json())['done'] == 'blocked'

                assert await asyncio.wait_for(watcher_heard.get(), 5) == {'doctor_id': DOCTOR}
                assert await asyncio.wait_for(bystander_heard.get(), 5) == {'doctor_id': DOCTOR}  # io.emit: everyone

                after = await _labels(http, server.base, DOCTOR)
                assert after == [label for label in before if label != '14:00']
                assert await _labels(http, server.base, BYSTANDERS_DOCTOR) == before

                async with http.post(f'{server.base}/api/toggle', params={'doctor': str(DOCTOR), 'day': DAY}) as done:
                    assert (await done.json())['done'] == 'freed'
                await asyncio.wait_for(watcher_heard.get(), 5)
                assert await _labels(http, server.base, DOCTOR) == before

                async with http.get(f'{server.base}/bench/stats') as response:
                    stats = await response.json()
                assert stats['changes'] == 2 and stats['queries'] == 0
                assert stats['full_gcs'] == len(stats['full_gc_pauses_ms']) or len(stats['full_gc_pauses_ms']) == 1000
                async with http.post(f'{server.base}/bench/settle') as response:
                    assert response.status == 404  # nothing forces a garbage collection
                assert stats['cpu_user_s'] > 0 and stats['rss_bytes'] > 0 and stats['heap_used_bytes'] > 0
            finally:
                await watcher.disconnect()
                await bystander.disconnect()
