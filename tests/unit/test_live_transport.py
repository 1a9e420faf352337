"""Page updates and popups skip python-socketio's search for bytes; anything else is still sent as binary when
it holds bytes."""

from socketio import packet

from services.live.websocket import TextPacket


def test_page_updates_and_popups_go_out_as_plain_text_events():
    update = TextPacket(packet.EVENT, data=['update', {'7': {'tag': 'q-btn', 'props': {'label': '09:00'}}}])
    popup = TextPacket(packet.EVENT, data=['notify', {'message': 'Schedule updated', 'type': 'info'}])
    assert update.packet_type == packet.EVENT and popup.packet_type == packet.EVENT
    assert update.encode().startswith('2["update",')


def test_a_message_with_bytes_still_travels_as_binary():
    download = TextPacket(packet.EVENT, data=['download', {'src': b'%PDF-1.7', 'filename': 'letter.pdf'}])
    assert download.packet_type == packet.BINARY_EVENT
