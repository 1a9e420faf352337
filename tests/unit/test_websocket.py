"""NiceGUI's socket server, once `send_text_packets()` has run, sends page updates and popups as plain text without
searching them for bytes; any other message that holds bytes still goes out as binary.

The messages go through `nicegui.core.sio` as NiceGUI's outbox sends them (`emit` to the browser's room); only
engine.io's last step, handing a frame to the network, is replaced by a list.
"""

import inspect
from typing import Any

import pytest
from nicegui import core, outbox
from socketio.packet import Packet

from services.live.websocket import send_text_packets

PAGE_UPDATE = {
    '7': {'tag': 'q-btn', 'text': '', 'props': {'label': '09:00', 'color': 'primary'}, 'children': [], 'events': []},
    '8': {'tag': 'div', 'text': 'Dr Adams, Tuesday 3 March', 'class': ['text-lg'], 'style': {}, 'children': [7]},
}
NICEGUI_MESSAGES = {
    'update': PAGE_UPDATE,
    'notify': {'message': 'Schedule updated', 'type': 'info', 'position': 'bottom'},
    'run_javascript': {'code': 'window.scrollTo(0, 0)'},
    'load_js_components': {'components': [{'key': 'vue-component', 'name': 'calendar'}]},
}


class Browser:
    """One browser connected to NiceGUI's socket server; `frames` is what was sent to it, in order."""

    def __init__(self) -> None:
        self.frames: list[str | bytes] = []

    async def receive(self, _eio_sid: str, frame: Any) -> None:
        self.frames.append(frame.data)

    async def emit(self, event: str, data: dict[str, Any]) -> None:
        await core.sio.emit(event, data, room='client-1')


@pytest.fixture
async def browser(monkeypatch):
    monkeypatch.setattr(core.sio, 'packet_class', core.sio.packet_class)  # put back what was there after the test
    browser = Browser()
    monkeypatch.setattr(core.sio.eio, 'send_packet', browser.receive)
    send_text_packets()
    sid = await core.sio.manager.connect('browser-1', '/')
    await core.sio.enter_room(sid, 'client-1')
    yield browser
    await core.sio.manager.disconnect(sid, '/')


@pytest.fixture
def searches_for_bytes(monkeypatch) -> list[object]:
    """Record every step of python-socketio's walk through an outgoing payload looking for bytes."""
    searched: list[object] = []
    search = Packet.data_is_binary.__func__

    def counted(cls: type[Packet], data: object) -> bool:
        searched.append(data)
        return bool(search(cls, data))

    monkeypatch.setattr(Packet, 'data_is_binary', classmethod(counted))
    return searched


@pytest.mark.parametrize('event', NICEGUI_MESSAGES)
async def test_page_updates_and_popups_are_sent_as_one_text_frame_without_a_search_for_bytes(
    browser, searches_for_bytes, event
):
    await browser.emit(event, NICEGUI_MESSAGES[event])

    assert searches_for_bytes == []
    assert len(browser.frames) == 1
    assert isinstance(browser.frames[0], str) and browser.frames[0].startswith(f'2["{event}",')


async def test_a_download_holding_bytes_is_searched_and_still_sent_as_binary(browser, searches_for_bytes):
    await browser.emit('download', {'src': b'%PDF-1.7', 'filename': 'letter.pdf'})

    assert searches_for_bytes != []
    header, attachment = browser.frames
    assert isinstance(header, str) and header.startswith('51-["download",')  # one binary attachment follows
    assert attachment == b'%PDF-1.7'


def test_the_outbox_shim_replaces_only_the_idle_wait_of_the_nicegui_version_in_use():
    """`quiet_idle_outboxes` drops the timeout of every asyncio.wait_for in NiceGUI's outbox module: that must stay
    the one idle wait, whose timeout only re-checked a stop that wakes it anyway (re-check on a NiceGUI upgrade)."""
    source = inspect.getsource(outbox)
    assert source.count('wait_for(') == 1
    assert 'await asyncio.wait_for(self._enqueue_event.wait(), timeout=1.0)' in source
    assert 'self._set_enqueue_event()  # wake the loop so it checks _should_stop immediately' in source
