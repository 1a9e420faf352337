"""How live updates travel to many browsers at once: two process-wide settings, measured by `python -m bench`.

- Socket.IO packets are sent as text only. python-socketio walks every outgoing payload looking for bytes to send
  as binary attachments; this app never sends bytes over the socket (no `ui.download`), and that walk was about a
  quarter of the cost of pushing one update to one browser.
- The objects created while starting (modules, pages, the clinic) live as long as the process, so they are frozen
  out of the garbage collector's full passes, which otherwise scan them again on every pass.
"""

import gc

from nicegui import core
from socketio.packet import Packet


class TextPacket(Packet):  # type: ignore[misc]
    uses_binary_events = False


def send_text_packets() -> None:
    """Skip the search for binary data in every outgoing Socket.IO packet (call before serving)."""
    core.sio.packet_class = TextPacket


def freeze_startup_objects() -> None:
    """Keep everything created so far out of full garbage collections (call once, when start-up is done)."""
    gc.collect()
    gc.freeze()
