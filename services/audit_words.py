"""The audit trail in words, for the admin: what happened, a readable before and after, in the clinic's local time.

Records keep raw codes and JSON (audit.py writes them in the changing transaction); this read side turns each into a
line a person reads. An action it does not know yet still reads as words, from its code and values.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import aliased
from sqlmodel import col, select

from models import Appointment, Doctor, User

from .audit import AuditEntry, audit_trail
from .clinic import Clinic
from .local_time import format_when
from .read_models.appointments import describe_many
from .read_models.values import AppointmentInfo

ACTION_WORDS = {
    'appointment.booked': 'Appointment booked',
    'appointment.moved': 'Appointment moved',
    'appointment.cancelled': 'Appointment cancelled',
    'appointment.no_show': 'Marked as no-show',
    'appointment.completed': 'Appointment completed',
    'period.added': 'Unavailable period added',
    'period.changed': 'Unavailable period changed',
    'period.removed': 'Unavailable period removed',
    'hours.changed': 'Working hours changed',
}
REASON_WORDS = {
    'vacation': 'Vacation',
    'conference': 'Conference',
    'sick': 'Sick leave',
    'personal': 'Personal',
    'other': 'Other',
}
DAY_NAMES = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
ARROW = '→'
DASH = '–'


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One audit record as the admin reads it."""

    id: int
    when: str  # 'Mon 30 Nov 2026, 10:00', clinic-local
    who: str
    what: str  # 'Appointment booked'
    doctor: str
    change: str  # 'From Mon 1 Dec 09:00-11:30 to Mon 1 Dec 09:00-12:00', with an en dash


def audit_in_words(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int | None = None,
    action: str | None = None,
    day: date | None = None,
    limit: int = 200,
) -> list[AuditLine]:
    """Return the newest audit records as words, filtered like `audit_trail` (admins only)."""
    entries = audit_trail(clinic, actor_id=actor_id, doctor_id=doctor_id, action=action, day=day, limit=limit)
    appointment_ids = {e.appointment_id for e in entries if e.appointment_id is not None}
    doctor_ids = {e.doctor_id for e in entries if e.doctor_id is not None}
    with clinic.db.reading() as session:
        found = session.exec(select(Appointment).where(col(Appointment.id).in_(appointment_ids))).all()
        appointments = {info.id: info for info in describe_many(session, found)} if found else {}
        person = aliased(User)
        names = session.exec(
            select(Doctor.id, person.full_name)
            .join(person, col(person.id) == Doctor.user_id)
            .where(col(Doctor.id).in_(doctor_ids))
        ).all()
        doctors = {doctor: name for doctor, name in names if doctor is not None}
    return [
        AuditLine(
            id=e.id,
            when=format_when(e.at, clinic.tz),
            who=e.actor_name,
            what=action_words(e.action),
            doctor=doctors.get(e.doctor_id, '') if e.doctor_id is not None else '',
            change=change_words(e, clinic.tz, appointments.get(e.appointment_id or 0)),
        )
        for e in entries
    ]


def action_words(action: str) -> str:
    """'period.changed' -> 'Unavailable period changed'; an unknown code still reads as words."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    return action.replace('.', ' ').replace('_', ' ').capitalize()


def change_words(entry: AuditEntry, tz: ZoneInfo, appointment: AppointmentInfo | None = None) -> str:
    """What a record changed, in words and clinic-local times."""
    before, after = _values(entry.before), _values(entry.after)
    if entry.action == 'hours.changed':
        return _hours_change(before, after)
    if entry.action.startswith('period.'):
        return _period_change(before, after, tz)
    if entry.action.startswith('appointment.'):
        return _appointment_change(entry.action, before, after, tz, appointment)
    return _generic_change(before, after, tz)


def _appointment_change(
    action: str, before: dict[str, Any], after: dict[str, Any], tz: ZoneInfo, appointment: AppointmentInfo | None
) -> str:
    if action == 'appointment.moved' and 'starts_at' in before and 'starts_at' in after:
        return f'From {_span_of(before, tz)} to {_span_of(after, tz)}'
    values = after if 'starts_at' in after else before
    if 'starts_at' in values:
        span, patient = _span_of(values, tz), str(values.get('patient') or '')
    elif appointment is not None:
        span, patient = _span(appointment.starts_at, appointment.ends_at, tz), appointment.patient_name
    else:
        span, patient = '', ''
    parts = [', '.join(part for part in (span, patient) if part)]
    if after.get('reason'):
        parts.append(f'Reason: {after["reason"]}')
    if after.get('cancel_reason'):
        parts.append(f'Reason given: {after["cancel_reason"]}')
    if action not in ACTION_WORDS and (before.get('status') or after.get('status')):
        parts.append(_arrow('Status', _status(before.get('status')), _status(after.get('status'))))
    return '. '.join(part for part in parts if part)


def _period_change(before: dict[str, Any], after: dict[str, Any], tz: ZoneInfo) -> str:
    if not before or not after:
        values = after or before
        reason = REASON_WORDS.get(str(values.get('reason') or ''), '')
        note = str(values.get('note') or '')
        details = ', '.join(part for part in (reason, f'“{note}”' if note else '') if part)
        return f'{_span_of(values, tz)} ({details})' if details else _span_of(values, tz)
    parts = []
    old_span, new_span = _span_of(before, tz), _span_of(after, tz)
    parts.append(f'From {old_span} to {new_span}' if old_span != new_span else new_span)
    if before.get('reason') != after.get('reason'):
        old_reason = REASON_WORDS.get(str(before.get('reason') or ''), '')
        new_reason = REASON_WORDS.get(str(after.get('reason') or ''), '')
        parts.append(_arrow('Reason', old_reason, new_reason))
    if (before.get('note') or '') != (after.get('note') or ''):
        parts.append(_arrow('Note', _quoted(before.get('note')), _quoted(after.get('note'))))
    return '; '.join(parts)


def _hours_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    old, new = _week(before.get('hours') or []), _week(after.get('hours') or [])
    parts = [
        f'{DAY_NAMES[day]} {_ranges(old.get(day, []))} {ARROW} {_ranges(new.get(day, []))}'
        for day in range(7)
        if old.get(day, []) != new.get(day, [])
    ]
    changes = [f'Working hours: {"; ".join(parts)}'] if parts else []
    if before.get('slot_minutes') != after.get('slot_minutes') and before.get('slot_minutes') is not None:
        changes.append(f'Slot length: {before["slot_minutes"]} {ARROW} {after.get("slot_minutes")} minutes')
    return '. '.join(changes) or 'No change'


def _generic_change(before: dict[str, Any], after: dict[str, Any], tz: ZoneInfo) -> str:
    parts = []
    for key in sorted(before.keys() | after.keys()):
        old, new = _value_words(before.get(key), tz), _value_words(after.get(key), tz)
        if old != new:
            parts.append(_arrow(key.replace('_', ' ').capitalize(), old, new))
    return '; '.join(parts)


def _week(hours: list[str]) -> dict[int, list[str]]:
    """['2:09:00-12:00', ...] (weekday:start-end) -> {2: ['09:00-12:00']}, with an en dash."""
    week: dict[int, list[str]] = {}
    for text in hours:
        day, _, span = str(text).partition(':')
        if day.isdigit():
            week.setdefault(int(day), []).append(span.replace('-', DASH))
    return {day: sorted(ranges) for day, ranges in week.items()}


def _ranges(ranges: list[str]) -> str:
    return ', '.join(ranges) if ranges else 'day off'


def _span_of(values: dict[str, Any], tz: ZoneInfo) -> str:
    starts_at, ends_at = _moment(values.get('starts_at')), _moment(values.get('ends_at'))
    if starts_at is None:
        return ''
    return _span(starts_at, ends_at, tz)


def _span(starts_at: datetime, ends_at: datetime | None, tz: ZoneInfo) -> str:
    """'Mon 1 Dec 09:00-11:30', or 'Mon 1 Dec 09:00 - Wed 3 Dec 17:00' over several days (en dashes)."""
    start = starts_at.astimezone(tz)
    if ends_at is None:
        return _day_and_time(start)
    end = ends_at.astimezone(tz)
    if start.date() == end.date():
        return f'{_day_and_time(start)}{DASH}{end:%H:%M}'
    return f'{_day_and_time(start)} {DASH} {_day_and_time(end)}'


def _day_and_time(moment: datetime) -> str:
    return f'{DAY_NAMES[moment.weekday()]} {moment.day} {moment:%b %H:%M}'


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # written as UTC


def _value_words(value: Any, tz: ZoneInfo) -> str:
    moment = _moment(value)
    if moment is not None and 'T' in str(value):
        return _day_and_time(moment.astimezone(tz))
    if isinstance(value, list):
        return ', '.join(str(v) for v in value)
    return '' if value is None else str(value)


def _status(value: Any) -> str:
    return str(value or '').replace('_', '-')


def _quoted(value: Any) -> str:
    return f'“{value}”' if value else 'none'


def _arrow(label: str, old: str, new: str) -> str:
    return f'{label}: {old or "none"} {ARROW} {new or "none"}'


def _values(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}
