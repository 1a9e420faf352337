"""Domain events between the app processes of one clinic, over PostgreSQL LISTEN/NOTIFY (no other server to run).

Publishing hands the event to this process's own subscribers at once and NOTIFYs the others. A listener thread
keeps one connection LISTENing and passes other processes' events to the local hub, where each process
recomputes what its own browsers watch. Payloads are ids, dates and short texts, well under NOTIFY's 8000-byte
limit; an event too big to travel whole goes without its lists of ids and is treated as "anyone may be affected".
When the listening connection drops, the thread reconnects and asks the hub for a full refresh, since events
may have been missed in between.
"""

import json
import logging
import threading
import uuid

import psycopg
from sqlalchemy import Engine, text

from .database import libpq_url
from .events import DomainEvent, EventHub, from_wire, to_wire, without_details

log = logging.getLogger(__name__)

CHANNEL = 'clinic_events'
PAYLOAD_LIMIT = 7900  # bytes; PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
RECONNECT_DELAYS = (0.5, 1, 2, 5)  # seconds between attempts, the last one repeating


class PostgresTransport:
    def __init__(self, hub: EventHub, engine: Engine) -> None:
        self._hub = hub
        self._engine = engine
        self._conninfo = libpq_url(engine)
        self.sender = uuid.uuid4().hex  # this process, so it can skip its own notifications
        self.listening = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def send(self, event: DomainEvent) -> None:
        self._hub.deliver(event)  # this process's browsers need no round trip
        try:
            with self._engine.connect() as connection:
                connection.execute(
                    text('SELECT pg_notify(:channel, :payload)'),
                    {'channel': CHANNEL, 'payload': payload(self.sender, event)},
                )
                connection.commit()
        except Exception:
            log.exception('could not tell the other processes about %s; they catch up when their link recovers', event)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._listen, name='clinic-events', daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _listen(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f'LISTEN {CHANNEL}')
                    self.listening.set()
                    if failures:
                        log.info('event link to PostgreSQL is back; refreshing every watched view')
                        self._hub.resync()
                    failures = 0
                    while not self._stopping.is_set():
                        for notification in connection.notifies(timeout=1.0):
                            self._received(notification.payload)
            except psycopg.Error as error:
                self.listening.clear()
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                log.warning('event link to PostgreSQL lost (%s); retrying in %s s', error, delay)
                self._stopping.wait(delay)
        self.listening.clear()

    def _received(self, raw: str) -> None:
        try:
            message = json.loads(raw)
            if message.get('sender') == self.sender:
                return
            self._hub.deliver(from_wire(message['event']))
        except Exception:
            log.exception('ignored an event notification that could not be read: %.200s', raw)


def payload(sender: str, event: DomainEvent) -> str:
    """The NOTIFY payload: the whole event if it fits, else the event without its lists of ids."""
    text_ = json.dumps({'sender': sender, 'event': to_wire(event)}, separators=(',', ':'))
    if len(text_.encode()) < PAYLOAD_LIMIT:
        return text_
    return json.dumps({'sender': sender, 'event': to_wire(without_details(event))}, separators=(',', ':'))
