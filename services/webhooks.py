"""Webhooks: the front desk registers addresses to be told of changes, and each change writes its deliveries into the
webhook outbox in the same transaction (webhook_sender.py posts them, signed, with retries).

Events are made from the audit trail's actions, which every use case records in its own transaction, so a change
made anywhere (a page, the API, a job, a closure) announces itself the same way. A delivery's body names ids and
times; the words people wrote (a reason for the visit, a cancellation's reason, a block's note) go only to endpoints
marked trusted.
"""

import ipaddress
import json
import secrets
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, func, select

from models import Appointment, DeliveryStatus, WebhookDelivery, WebhookEndpoint

from .access import load_actor, require_front_desk
from .clinic import Clinic
from .errors import InvalidInput, InvalidInputs, NotFound
from .i18n import N_

EVENTS = {  # the events an endpoint may ask for, and how the front desk reads them (translated where shown)
    'appointment.booked': N_('Appointment booked'),
    'appointment.moved': N_('Appointment moved'),
    'appointment.cancelled': N_('Appointment cancelled'),
    'appointment.completed': N_('Appointment completed'),
    'appointment.no_show': N_('Marked as no-show'),
    'availability.changed': N_('Availability changed'),
}
_STATUS_AFTER = {
    'appointment.booked': 'booked',
    'appointment.moved': 'booked',
    'appointment.cancelled': 'cancelled',
    'appointment.completed': 'completed',
    'appointment.no_show': 'no_show',
}
AVAILABILITY_ACTIONS = frozenset(
    {
        'period.added',
        'period.changed',
        'period.removed',
        'hours.changed',
        'closure.added',
        'closure.removed',
        'type.added',
        'type.changed',
        'type.retired',
        'doctor.edited',
    }
)
SECRET_PREFIX = 'whsec_'
MAX_ENDPOINTS = 20
PRIVATE_ADDRESS = N_(  # a refusal, and a delivery's error (stored in English: a page shows it with `_()`)
    "This address leads into the clinic's own network; the clinic posts only to public addresses "
    '(CLINIC_WEBHOOK_PRIVATE_ADDRESSES allows others).'
)
ENDPOINT_REMOVED = N_('The endpoint was removed.')  # a delivery's error, as PRIVATE_ADDRESS
_CACHE = 'webhook_endpoints'  # the active endpoints, read once per transaction


@dataclass(frozen=True, slots=True)
class EndpointInfo:
    id: int
    url: str
    events: tuple[str, ...]
    trusted: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeliveryLine:
    id: int
    endpoint_url: str
    event: str
    event_id: str
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime
    response_status: int | None
    response_excerpt: str
    error: str
    can_resend: bool


@dataclass(frozen=True, slots=True)
class WebhooksView:
    endpoints: tuple[EndpointInfo, ...]
    deliveries: tuple[DeliveryLine, ...]


def add_endpoint(
    clinic: Clinic, *, actor_id: int, url: str, events: Sequence[str], trusted: bool = False
) -> tuple[EndpointInfo, str]:
    """Register an address for the chosen events (the front desk only); return it and its signing secret, which is
    shown this once."""
    address = _checked_url(url)
    chosen = tuple(event for event in EVENTS if event in set(events))
    problems = []
    if address is None:
        problems.append(
            InvalidInput(N_('Enter the full address, starting with https:// (or http://).'), field='webhook_url')
        )
    elif not clinic.settings.webhook_private_addresses and private_host(address):
        problems.append(InvalidInput(PRIVATE_ADDRESS, field='webhook_url'))
    if unknown := sorted(set(events) - set(EVENTS)):
        problems.append(InvalidInput(N_('Unknown event: {events}.'), field='webhook_events', events=', '.join(unknown)))
    elif not chosen:
        problems.append(InvalidInput(N_('Choose at least one event.'), field='webhook_events'))
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidInputs(problems)
    assert address is not None
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        live = session.exec(
            select(func.count()).select_from(WebhookEndpoint).where(col(WebhookEndpoint.active).is_(True))
        ).one()
        if live >= MAX_ENDPOINTS:
            too_many = N_('The clinic has {count} endpoints, the most allowed. Remove one first.')
            raise InvalidInput(too_many, field='webhook_url', count=live)
        endpoint = WebhookEndpoint(
            url=address,
            events=','.join(chosen),
            trusted=trusted,
            secret=secret,
            created_at=clinic.now(),
            created_by_id=actor.id,
        )
        session.add(endpoint)
        session.flush()
        audited = {'url': address, 'events': list(chosen), 'trusted': trusted}
        _audit(session, clinic, actor, 'webhook.added', after=audited)
        return _info(endpoint), secret


def remove_endpoint(clinic: Clinic, *, actor_id: int, endpoint_id: int) -> EndpointInfo:
    """Stop sending to an address; what was still waiting for it is given up (its history stays)."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        if endpoint is None or not endpoint.active:
            raise NotFound(N_('This endpoint is no longer registered; the list has been refreshed.'))
        endpoint.active = False
        session.add(endpoint)
        waiting = session.exec(
            select(WebhookDelivery).where(
                WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == DeliveryStatus.pending
            )
        ).all()
        for row in waiting:
            row.status, row.last_error = DeliveryStatus.failed, ENDPOINT_REMOVED
            session.add(row)
        _audit(session, clinic, actor, 'webhook.removed', before={'url': endpoint.url})
        return _info(endpoint)


def resend(clinic: Clinic, *, actor_id: int, delivery_id: int) -> None:
    """Send an event to its endpoint again, as a new delivery with the same event id and body (the front desk)."""
    with clinic.db.writing() as session:
        require_front_desk(load_actor(session, actor_id))
        row = session.get(WebhookDelivery, delivery_id)
        if row is None:
            raise NotFound(N_('This delivery no longer exists.'))
        endpoint = session.get(WebhookEndpoint, row.endpoint_id)
        if endpoint is None or not endpoint.active:
            raise InvalidInput(N_('Its endpoint was removed, so it cannot be sent again.'))
        if row.status in (DeliveryStatus.pending, DeliveryStatus.sending):
            raise InvalidInput(N_('It is still being sent; the list has been refreshed.'))
        session.add(
            WebhookDelivery(
                endpoint_id=row.endpoint_id,
                event_id=row.event_id,
                event=row.event,
                body=row.body,
                next_attempt_at=clinic.now(),
                created_at=clinic.now(),
                resent_from_id=row.id,
            )
        )


def webhooks_view(clinic: Clinic, *, actor_id: int, limit: int = 50) -> WebhooksView:
    """The registered endpoints and the newest deliveries with their answers (the front desk)."""
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        endpoints = session.exec(
            select(WebhookEndpoint).where(col(WebhookEndpoint.active).is_(True)).order_by(col(WebhookEndpoint.id))
        ).all()
        rows = session.exec(
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .order_by(col(WebhookDelivery.id).desc())
            .limit(limit)
        ).all()
        return WebhooksView(
            endpoints=tuple(_info(endpoint) for endpoint in endpoints),
            deliveries=tuple(_line(row, endpoint) for row, endpoint in rows),
        )


def announce(
    session: Session,
    clinic: Clinic,
    *,
    action: str,
    doctor_id: int | None,
    appointment_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    covers: Sequence[int] = (),
) -> None:
    """Write the deliveries of an audited change to every endpoint that wants its event, in the change's
    transaction. Most changes find no endpoint: one small read per transaction."""
    if action in _STATUS_AFTER:
        event = action
    elif action in AVAILABILITY_ACTIONS:
        event = 'availability.changed'
    else:
        return
    wanting = [endpoint for endpoint in _active_endpoints(session) if event in endpoint.events.split(',')]
    if not wanting:
        return
    if event == 'availability.changed':
        public, private = _availability(action, doctor_id, covers, before or {}, after or {})
    else:
        found = _appointment(session, event, appointment_id, before or {})
        if found is None:
            return
        public, private = found
    event_id, now = str(uuid.uuid4()), clinic.now()
    for endpoint in wanting:
        data = {**public, **private} if endpoint.trusted else public
        body = json.dumps({'id': event_id, 'type': event, 'created_at': now.isoformat(), 'data': data}, sort_keys=True)
        assert endpoint.id is not None
        session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id, event_id=event_id, event=event, body=body, next_attempt_at=now, created_at=now
            )
        )


def _active_endpoints(session: Session) -> list[WebhookEndpoint]:
    cached = session.info.get(_CACHE)
    if cached is None:
        cached = list(session.exec(select(WebhookEndpoint).where(col(WebhookEndpoint.active).is_(True))).all())
        session.info[_CACHE] = cached
    return cached


def _appointment(
    session: Session, event: str, appointment_id: int | None, before: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    appointment = session.get(Appointment, appointment_id) if appointment_id is not None else None
    if appointment is None:
        return None
    public: dict[str, Any] = {
        'appointment_id': appointment.id,
        'doctor_id': appointment.doctor_id,
        'patient_id': appointment.patient_id,
        'type_id': appointment.type_id,
        'starts_at': _iso(appointment.starts_at),
        'ends_at': _iso(appointment.ends_at),
        'status': _STATUS_AFTER[event],
    }
    if event == 'appointment.moved':
        public['previous'] = {'starts_at': _iso(before.get('starts_at')), 'ends_at': _iso(before.get('ends_at'))}
    private = {'reason': appointment.reason}
    if event == 'appointment.cancelled':
        private['cancel_reason'] = appointment.cancel_reason or ''
    return public, private


def _availability(
    action: str, doctor_id: int | None, covers: Sequence[int], before: dict[str, Any], after: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    doctors = sorted(set(covers) | ({doctor_id} if doctor_id is not None else set()))
    public: dict[str, Any] = {'doctor_ids': doctors, 'change': action}
    span = after or before
    if 'starts_at' in span and 'ends_at' in span:
        public['starts_at'], public['ends_at'] = _iso(span['starts_at']), _iso(span['ends_at'])
    if action == 'period.changed' and 'starts_at' in before:
        public['previous'] = {'starts_at': _iso(before['starts_at']), 'ends_at': _iso(before.get('ends_at'))}
    if action.startswith('closure.'):
        public['name'] = span.get('name', '')  # a closure's name is public: patients read it on the booking page
    private = {'note': span['note']} if 'note' in span else {}
    return public, private


def private_host(url: str) -> bool:
    """Whether the address's host is, or resolves to, a loopback, private, link-local or otherwise non-public
    address (an unresolvable name is not refused here: it fails when posted to)."""
    host = urlsplit(url).hostname or ''
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return host.lower() == 'localhost' or host.lower().endswith('.localhost')
    return any(not ipaddress.ip_address(str(address).split('%')[0]).is_global for address in found)


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return None if value is None else str(value)


def _checked_url(url: str) -> str | None:
    address = (url or '').strip()
    if not address or len(address) > 500 or any(ch.isspace() or ord(ch) < 32 for ch in address):
        return None
    try:
        parts = urlsplit(address)
        port = parts.port  # raises for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ('http', 'https') or not parts.hostname or parts.username or parts.password:
        return None
    if port == 0:
        return None
    return address


def _audit(session: Session, clinic: Clinic, actor: Any, action: str, **values: Any) -> None:
    from .audit import record  # the audit trail announces through this module

    record(session, clinic, actor=actor, action=action, **values)


def _info(endpoint: WebhookEndpoint) -> EndpointInfo:
    assert endpoint.id is not None
    return EndpointInfo(
        id=endpoint.id,
        url=endpoint.url,
        events=tuple(endpoint.events.split(',')),
        trusted=endpoint.trusted,
        created_at=endpoint.created_at,
    )


def _line(row: WebhookDelivery, endpoint: WebhookEndpoint) -> DeliveryLine:
    assert row.id is not None
    return DeliveryLine(
        id=row.id,
        endpoint_url=endpoint.url,
        event=row.event,
        event_id=row.event_id,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        last_attempt_at=row.last_attempt_at,
        next_attempt_at=row.next_attempt_at,
        response_status=row.response_status,
        response_excerpt=row.response_excerpt,
        error=row.last_error,
        can_resend=endpoint.active and row.status in (DeliveryStatus.delivered, DeliveryStatus.failed),
    )
