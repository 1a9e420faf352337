"""How live updates travel to many browsers at once: two process-wide settings, measured by `python -m bench`.

- NiceGUI's page updates and popups go out as text without a search for bytes. python-socketio walks every
  outgoing payload looking for bytes to send as binary attachments. Element updates and notifications are JSON
  by construction, and that walk cost 7 % of the server's time in a 1000-browser fan-out. Other messages (a
  download, say) are still checked.
- An idle page costs nothing: NiceGUI's page outbox waits for its next message without waking every second
  (`quiet_idle_outboxes`), which at 1000 open pages made the churn that filled the middle generation.
- The objects created while starting (modules, pages, the clinic) live as long as the process, so they are frozen
  out of the garbage collector's full passes, which otherwise scan them again on every pass.
- Young collections run every YOUNG_COLLECTION_EVERY allocations instead of CPython's 700. A change's fan-out
  makes a few short-lived objects per browser (a send task, a packet); with 700 a young collection ran about 60
  times during one change at 1000 browsers, promoting whatever was in flight towards the old generation, which
  then filled up and set off a full collection (a 1.3 s stall for every browser) every few changes. With larger
  young collections they die young: one young collection per change, and the old generation stays put.
- The browsers' websockets are served by uvicorn's `websockets-sansio` protocol (the `websockets` library's
  sans-I/O core, with its C speedups) instead of `wsproto`, which `ui.run` names. With 1000 booking pages open,
  uvicorn's wsproto protocol took about a fifth of the server's busy samples (parsing and unmasking what browsers
  send, in pure Python, and framing what goes out); in two A/B pairs of `python -m bench --sizes 1000 --rounds 5`
  the server's CPU per change fell from 0.36-0.39 to 0.33-0.34 s (steady) and from 0.46-0.49 to 0.36-0.38 s (pages
  arriving).
"""

import asyncio
import gc
from collections.abc import Awaitable
from typing import Any, TypeVar

from nicegui import core
from nicegui import outbox as nicegui_outbox
from nicegui import server as nicegui_server
from socketio.packet import Packet

TEXT_EVENTS = frozenset({'update', 'notify', 'run_javascript', 'load_js_components', 'clinic_slots'})
WEBSOCKETS = 'websockets-sansio'  # uvicorn's name for the protocol implementation
YOUNG_COLLECTION_EVERY = 20_000
MIDDLE_COLLECTION_EVERY = 3  # young collections; a middle one scans what they kept (a page being built keeps all)


class TextPacket(Packet):  # type: ignore[misc]
    @classmethod
    def data_is_binary(cls, data: Any) -> bool:
        if isinstance(data, list) and data and data[0] in TEXT_EVENTS:
            return False
        return bool(super().data_is_binary(data))


def send_text_packets() -> None:
    """Skip the search for binary data in NiceGUI's JSON-only messages (call before serving)."""
    core.sio.packet_class = TextPacket


T = TypeVar('T')


class _AsyncioForOutboxes:
    """asyncio as NiceGUI's page outboxes see it: waiting for the next message has no timeout.

    Each page's outbox waits for its next message with a one-second timeout, only to look again whether it should
    stop; but stopping wakes it anyway. With a thousand open pages the timeouts made a thousand tasks and timers a
    second, which lived just long enough to be promoted out of the young generation: the middle one grew until one
    of its collections stopped a change's fan-out for 70-130 ms.
    """

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    @staticmethod
    async def wait_for(awaitable: Awaitable[T], timeout: float | None = None) -> T:
        return await awaitable


def quiet_idle_outboxes() -> None:
    """Let idle page outboxes sleep until they have something to send (call before serving)."""
    nicegui_outbox.asyncio = _AsyncioForOutboxes()  # type: ignore[assignment,attr-defined]


def freeze_startup_objects() -> None:
    """Keep everything created so far out of full garbage collections (call once, when start-up is done), and let
    short-lived objects die young."""
    gc.collect()
    gc.freeze()
    *_, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, MIDDLE_COLLECTION_EVERY, old)


def fast_websockets() -> None:
    """Serve websockets with `WEBSOCKETS` instead of the `wsproto` that `ui.run` passes uvicorn (call before it)."""
    server = nicegui_server.Server
    if getattr(server.create_singleton, 'clinic_websockets', False):
        return
    create = server.create_singleton.__func__  # type: ignore[attr-defined]

    def create_singleton(cls: type[nicegui_server.Server], config: nicegui_server.CustomServerConfig) -> None:
        config.ws = WEBSOCKETS
        create(cls, config)

    create_singleton.clinic_websockets = True  # type: ignore[attr-defined]
    server.create_singleton = classmethod(create_singleton)  # type: ignore[method-assign,assignment]
