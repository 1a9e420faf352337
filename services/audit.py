"""The audit trail: every change to availability and appointments, written in the changing transaction."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from models import AuditRecord

from .access import load_actor, require_front_desk
from .clinic import Clinic
from .live.events import THE_CLINIC
from .read_models.values import Person
from .slot_engine import local_day_bounds
from .webhooks import announce


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_name: str
    action: str
    doctor_id: int | None
    appointment_id: int | None
    period_id: int | None
    before: str
    after: str


def record(
    session: Session,
    clinic: Clinic,
    *,
    actor: Person | None,
    action: str,
    doctor_id: int | None = None,
    appointment_id: int | None = None,
    period_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    covers: Sequence[int] = (),
) -> None:
    """Add an audit record to the current transaction (it commits, or rolls back, with the change), and the
    webhook deliveries it makes (`covers`: the doctors a clinic-wide change takes time from)."""
    session.add(
        AuditRecord(
            at=clinic.now(),
            actor_id=actor.id if actor else None,
            actor_name=actor.full_name if actor else THE_CLINIC,
            action=action,
            doctor_id=doctor_id,
            appointment_id=appointment_id,
            period_id=period_id,
            before=_json(before),
            after=_json(after),
        )
    )
    announce(
        session,
        clinic,
        action=action,
        doctor_id=doctor_id,
        appointment_id=appointment_id,
        before=before,
        after=after,
        covers=covers,
    )


def audit_trail(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int | None = None,
    action: str | None = None,
    day: date | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """Return the newest audit records, filtered by doctor, kind of action and day (admins only)."""
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        query = select(AuditRecord)
        if doctor_id is not None:
            query = query.where(AuditRecord.doctor_id == doctor_id)
        if action:
            query = query.where(col(AuditRecord.action).startswith(action))
        if day is not None:
            start, end = local_day_bounds(day, clinic.tz)
            query = query.where(col(AuditRecord.at) >= start, col(AuditRecord.at) < end)
        rows = session.exec(query.order_by(col(AuditRecord.id).desc()).limit(limit)).all()
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor_name=r.actor_name,
                action=r.action,
                doctor_id=r.doctor_id,
                appointment_id=r.appointment_id,
                period_id=r.period_id,
                before=r.before,
                after=r.after,
            )
            for r in rows
            if r.id is not None
        ]


def _json(values: dict[str, Any] | None) -> str:
    if not values:
        return ''
    return json.dumps({key: _plain(value) for key, value in values.items()}, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if hasattr(value, 'value'):  # enums
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
