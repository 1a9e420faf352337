"""Posting the webhook outbox: each due delivery, signed, to its endpoint; a 2xx answer delivers it, anything else
(another status, a timeout, no connection) tries again later with growing pauses, then gives up.

The signature lets a receiver check that the clinic sent the body, unchanged, recently:
`Clinic-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>`
(`signature_holds` is the check, in the form a receiver writes it).
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlmodel import col, select

from models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

from .clinic import Clinic
from .webhooks import ENDPOINT_REMOVED, PRIVATE_ADDRESS, private_host

log = logging.getLogger(__name__)

RETRY_AFTER = (  # the pause after each failed attempt: the last comes almost a day after the first
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
ATTEMPTS = len(RETRY_AFTER) + 1
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SIGNATURE_HEADER = 'Clinic-Signature'
TOLERANCE_SECONDS = 300  # how old a signed request a receiver should still take


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    endpoint_id: int
    url: str
    secret: str
    event: str
    event_id: str
    body: str


@dataclass(frozen=True, slots=True)
class Answer:
    delivered: bool
    status: int | None = None
    excerpt: str = ''
    error: str = ''
    unreachable: bool = False  # no connection at all: the endpoint's other deliveries wait for the next round


def sign(secret: str, timestamp: int, body: str) -> str:
    """The signature header's value for a body sent at `timestamp` (Unix seconds)."""
    digest = hmac.new(secret.encode(), f'{timestamp}.{body}'.encode(), hashlib.sha256).hexdigest()
    return f't={timestamp},v1={digest}'


def signature_holds(
    secret: str, header: str, body: bytes | str, *, now: float, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """What a receiver checks: the header parses, its time is within `tolerance` of `now`, and one of its v1 values is
    the HMAC of "<t>.<body>" (compared in constant time)."""
    text = body.decode() if isinstance(body, bytes) else body
    parts: dict[str, list[str]] = {}
    for item in header.split(','):
        key, _, value = item.strip().partition('=')
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts['t'][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, text).split('v1=', 1)[1]
    return any(hmac.compare_digest(expected, given) for given in parts.get('v1', []))


def send_due_webhooks(clinic: Clinic, *, limit: int = 50, client: httpx.Client | None = None) -> int:
    """Post the deliveries that are due, oldest first; return how many were delivered. Each answer is recorded at once.

    Blocking (HTTP): run it off the event loop, in the one process that sends.
    """
    if not _any_due(clinic):  # the usual case: a read, not the write lock
        return 0
    delivered = 0
    unreachable: set[int] = set()
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT, follow_redirects=False, headers={'User-Agent': 'clinic-webhooks/1'})
    try:
        for _ in range(limit):
            claimed = _claim_next(clinic, unreachable)
            if claimed is None:
                break
            if not clinic.settings.webhook_private_addresses and private_host(claimed.url):  # its name may have moved
                answer = Answer(delivered=False, error=PRIVATE_ADDRESS, unreachable=True)
            else:
                answer = _post(http, claimed, int(clinic.now().timestamp()))
            _record(clinic, claimed.id, answer)
            delivered += answer.delivered
            if answer.unreachable:
                unreachable.add(claimed.endpoint_id)
    finally:
        if own:
            http.close()
    return delivered


def resume_interrupted_webhooks(clinic: Clinic) -> int:
    """When a process starts sending: deliveries a dead process left `sending` are due again (same event id)."""
    with clinic.db.writing() as session:
        rows = session.exec(select(WebhookDelivery).where(WebhookDelivery.status == DeliveryStatus.sending)).all()
        for row in rows:
            row.status, row.next_attempt_at = DeliveryStatus.pending, clinic.now()
            session.add(row)
    return len(rows)


def _post(http: httpx.Client, claimed: Claimed, timestamp: int) -> Answer:
    headers = {
        'Content-Type': 'application/json',
        SIGNATURE_HEADER: sign(claimed.secret, timestamp, claimed.body),
        'Clinic-Event': claimed.event,
        'Clinic-Event-Id': claimed.event_id,
    }
    try:
        response = http.post(claimed.url, content=claimed.body.encode(), headers=headers)
    except (httpx.ConnectError, httpx.ConnectTimeout) as trouble:
        return Answer(delivered=False, error=f'No connection: {trouble}'[:500], unreachable=True)
    except httpx.HTTPError as trouble:
        return Answer(delivered=False, error=f'{type(trouble).__name__}: {trouble}'[:500])
    excerpt = _printable(response.text[:500])
    if 200 <= response.status_code < 300:
        return Answer(delivered=True, status=response.status_code, excerpt=excerpt)
    return Answer(
        delivered=False, status=response.status_code, excerpt=excerpt, error=f'Answered HTTP {response.status_code}'
    )


def _any_due(clinic: Clinic) -> bool:
    with clinic.db.reading() as session:
        due = session.exec(
            select(WebhookDelivery.id)
            .where(WebhookDelivery.status == DeliveryStatus.pending)
            .where(col(WebhookDelivery.next_attempt_at) <= clinic.now())
            .limit(1)
        ).first()
    return due is not None


def _claim_next(clinic: Clinic, skip: set[int]) -> Claimed | None:
    """Mark the oldest due delivery (of an endpoint not found unreachable this round) as being sent, in its own
    committed transaction."""
    with clinic.db.writing() as session:
        query = (
            select(WebhookDelivery, WebhookEndpoint)
            .join(WebhookEndpoint, col(WebhookEndpoint.id) == col(WebhookDelivery.endpoint_id))
            .where(WebhookDelivery.status == DeliveryStatus.pending)
            .where(col(WebhookDelivery.next_attempt_at) <= clinic.now())
            .where(col(WebhookEndpoint.active).is_(True))
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(1)
        )
        if skip:
            query = query.where(col(WebhookDelivery.endpoint_id).not_in(skip))
        found = session.exec(query).first()
        if found is None:
            return None
        row, endpoint = found
        row.status, row.attempts, row.last_attempt_at = DeliveryStatus.sending, row.attempts + 1, clinic.now()
        session.add(row)
        assert row.id is not None and endpoint.id is not None
        return Claimed(row.id, endpoint.id, endpoint.url, endpoint.secret, row.event, row.event_id, row.body)


def _record(clinic: Clinic, delivery_id: int, answer: Answer) -> None:
    with clinic.db.writing() as session:
        row = session.get(WebhookDelivery, delivery_id)
        if row is None:
            return
        row.response_status, row.response_excerpt, row.last_error = answer.status, answer.excerpt, answer.error
        endpoint = session.get(WebhookEndpoint, row.endpoint_id)
        if answer.delivered:
            row.status, row.delivered_at = DeliveryStatus.delivered, clinic.now()
        elif endpoint is None or not endpoint.active:  # removed while this attempt was under way
            row.status, row.last_error = DeliveryStatus.failed, ENDPOINT_REMOVED
        elif row.attempts >= ATTEMPTS:
            row.status = DeliveryStatus.failed
            log.warning('webhook %s (%s) failed for good: %s', row.event_id, row.event, answer.error)
        else:
            row.status, row.next_attempt_at = DeliveryStatus.pending, clinic.now() + RETRY_AFTER[row.attempts - 1]
        session.add(row)


def _printable(text: str) -> str:
    return ''.join(ch if ch.isprintable() or ch in '\n\t' else '?' for ch in text)
