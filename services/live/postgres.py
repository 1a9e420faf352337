"""Domain events between the app processes of one clinic, over PostgreSQL LISTEN/NOTIFY (no other server to run).

The hub hands an event to this process's own subscribers at once; this transport NOTIFYs the others. A listener
thread keeps one connection LISTENing and passes other processes' events to the local hub, where each process
recomputes what its own browsers watch. Payloads are ids, dates and short texts, well under NOTIFY's 8000-byte
limit; an event too big to travel whole goes without its lists of ids and is treated as "anyone may be affected".
When the listening connection drops, the thread reconnects and asks the hub for a full refresh, since events
may have been missed in between.
"""

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import Engine, text

from ..database import libpq_url
from .events import Change, DoctorsChanged, DomainEvent, InboxChanged, MailQueued, ScheduleChanged

log = logging.getLogger(__name__)

CHANNEL = 'clinic_events'
PAYLOAD_LIMIT = 7900  # bytes; PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
RECONNECT_DELAYS = (0.5, 1, 2, 5)  # seconds between attempts, the last one repeating


class PostgresTransport:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conninfo = libpq_url(engine)
        self.sender = uuid.uuid4().hex  # this process, so it can skip its own notifications
        self.listening = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._received: Callable[[DomainEvent], None] = _nobody
        self._link_restored: Callable[[], None] = _nobody_to_tell

    @property
    def linked(self) -> bool:
        return self.listening.is_set()

    def send(self, event: DomainEvent) -> None:
        try:
            with self._engine.connect() as connection:
                connection.execute(
                    text('SELECT pg_notify(:channel, :payload)'),
                    {'channel': CHANNEL, 'payload': payload(self.sender, event)},
                )
                connection.commit()
        except Exception:
            log.exception('could not tell the other processes about %s; they catch up when their link recovers', event)

    def start(self, received: Callable[[DomainEvent], None], link_restored: Callable[[], None]) -> None:
        self._received, self._link_restored = received, link_restored
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
                        self._link_restored()
                    failures = 0
                    while not self._stopping.is_set():
                        for notification in connection.notifies(timeout=1.0):
                            self._take(notification.payload)
            except psycopg.Error as error:
                self.listening.clear()
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                log.warning('event link to PostgreSQL lost (%s); retrying in %s s', error, delay)
                self._stopping.wait(delay)
        self.listening.clear()

    def _take(self, raw: str) -> None:
        try:
            message = json.loads(raw)
            if message.get('sender') == self.sender:
                return
            self._received(from_wire(message['event']))
        except Exception:
            log.exception('ignored an event notification that could not be read: %.200s', raw)


def payload(sender: str, event: DomainEvent) -> str:
    """The NOTIFY payload: the whole event if it fits, else the event without its lists of ids."""
    text_ = json.dumps({'sender': sender, 'event': to_wire(event)}, separators=(',', ':'))
    if len(text_.encode()) < PAYLOAD_LIMIT:
        return text_
    return json.dumps({'sender': sender, 'event': to_wire(without_details(event))}, separators=(',', ':'))


def to_wire(event: DomainEvent) -> dict[str, Any]:
    """The event as plain JSON data (ids, dates and short texts), to travel between processes."""
    if isinstance(event, InboxChanged):
        return {'kind': 'inbox', 'user': event.user_id, 'message': event.message}
    if isinstance(event, DoctorsChanged):
        return {'kind': 'doctors', 'doctor': event.doctor_id}
    if isinstance(event, MailQueued):
        return {'kind': 'mail'}
    return {
        'kind': 'schedule',
        'doctor': event.doctor_id,
        'days': [[first.isoformat(), last.isoformat()] for first, last in event.day_ranges],
        'change': event.change.value,
        'actor': event.actor_id,
        'actor_name': event.actor_name,
        'origin': event.origin,
        'patients': sorted(event.patient_ids),
        'appointments': sorted(event.appointment_ids),
        'partial': event.partial,
        'spans': [[start.isoformat(), end.isoformat()] for start, end in event.spans],
    }


def from_wire(data: dict[str, Any]) -> DomainEvent:
    if data['kind'] == 'inbox':
        return InboxChanged(user_id=int(data['user']), message=data.get('message'))
    if data['kind'] == 'doctors':
        return DoctorsChanged(doctor_id=int(data['doctor']))
    if data['kind'] == 'mail':
        return MailQueued()
    return ScheduleChanged(
        doctor_id=int(data['doctor']),
        day_ranges=tuple((date.fromisoformat(first), date.fromisoformat(last)) for first, last in data['days']),
        change=Change(data['change']),
        actor_id=data['actor'],
        actor_name=data['actor_name'],
        origin=data['origin'],
        patient_ids=frozenset(data['patients']),
        appointment_ids=frozenset(data['appointments']),
        partial=bool(data['partial']),
        spans=tuple(
            (datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in data.get('spans', ())
        ),
    )


def without_details(event: DomainEvent) -> DomainEvent:
    """A smaller form of the event for when it is too big to send whole: who is affected becomes 'anyone'."""
    if isinstance(event, InboxChanged):
        return InboxChanged(user_id=event.user_id, message=(event.message or '')[:200] or None)
    if isinstance(event, DoctorsChanged | MailQueued):
        return event
    days = event.day_ranges
    if len(days) > 50:
        days = ((min(first for first, _ in days), max(last for _, last in days)),)
    return ScheduleChanged(
        doctor_id=event.doctor_id,
        day_ranges=days,
        change=event.change,
        actor_id=event.actor_id,
        actor_name=event.actor_name[:200],
        origin=event.origin,
        partial=True,
        spans=event.spans[:2],
    )


def _nobody(event: DomainEvent) -> None:
    log.debug('not started; dropping %s', event)


def _nobody_to_tell() -> None:
    pass
