"""The audit trail in words, for the admin: what happened, a readable before and after, in the clinic's local time.

Records keep raw codes and JSON (audit.py writes them in the changing transaction); this read side turns each into a
line a person reads. An action it does not know yet still reads as words, from its code and values.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from models import Appointment, Doctor, User

from .audit import AuditEntry, audit_trail
from .cancel_reasons import STAFF_CANCEL_REASONS
from .clinic import Clinic
from .i18n import N_, SOURCE_LANGUAGE, local_form, translate, translator, when_in
from .read_models.appointments import describe_many
from .read_models.values import AppointmentInfo

ACTION_WORDS = {  # translated where shown (the admin page)
    'appointment.booked': N_('Appointment booked'),
    'appointment.moved': N_('Appointment moved'),
    'appointment.cancelled': N_('Appointment cancelled'),
    'appointment.no_show': N_('Marked as no-show'),
    'appointment.completed': N_('Appointment completed'),
    'period.added': N_('Unavailable period added'),
    'period.changed': N_('Unavailable period changed'),
    'period.removed': N_('Unavailable period removed'),
    'hours.changed': N_('Working hours changed'),
}
REASON_WORDS = {
    'vacation': N_('Vacation'),
    'conference': N_('Conference'),
    'sick': N_('Sick leave'),
    'personal': N_('Personal'),
    'other': N_('Other'),
}
DAY_NAMES = (N_('Mon'), N_('Tue'), N_('Wed'), N_('Thu'), N_('Fri'), N_('Sat'), N_('Sun'))
ARROW = '→'
DASH = '–'


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One audit record as the admin reads it."""

    id: int
    when: str  # 'Mon 30 Nov 2026, 10:00', clinic-local
    who: str
    what: str  # 'Appointment booked' (English, from ACTION_WORDS: translated where shown)
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
    language: str = SOURCE_LANGUAGE,
) -> list[AuditLine]:
    """Return the newest audit records as words, filtered like `audit_trail` (admins only); the moments and changes
    in `language` (the page's), what happened in English (ACTION_WORDS, which the page translates)."""
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
            when=when_in(language, e.at, clinic.tz),
            who=e.actor_name,
            what=action_words(e.action),
            doctor=doctors.get(e.doctor_id, '') if e.doctor_id is not None else '',
            change=change_words(e, clinic.tz, appointments.get(e.appointment_id or 0), language=language),
        )
        for e in entries
    ]


def action_words(action: str) -> str:
    """'period.changed' -> 'Unavailable period changed'; an unknown code still reads as words."""
    if action in ACTION_WORDS:
        return ACTION_WORDS[action]
    return action.replace('.', ' ').replace('_', ' ').capitalize()


def change_words(
    entry: AuditEntry, tz: ZoneInfo, appointment: AppointmentInfo | None = None, *, language: str = SOURCE_LANGUAGE
) -> str:
    """What a record changed, in words (in `language`) and clinic-local times."""
    before, after = _values(entry.before), _values(entry.after)
    if entry.action == 'hours.changed':
        return _hours_change(before, after, language)
    if entry.action.startswith('period.'):
        return _period_change(before, after, tz, language)
    if entry.action.startswith('appointment.'):
        return _appointment_change(entry.action, before, after, tz, appointment, language)
    return _generic_change(before, after, tz, language)


def _appointment_change(
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
    tz: ZoneInfo,
    appointment: AppointmentInfo | None,
    language: str,
) -> str:
    _ = translator(language)
    if action == 'appointment.moved' and 'starts_at' in before and 'starts_at' in after:
        return _('From {old} to {new}', old=_span_of(before, tz, language), new=_span_of(after, tz, language))
    values = after if 'starts_at' in after else before
    if 'starts_at' in values:
        span, patient = _span_of(values, tz, language), str(values.get('patient') or '')
    elif appointment is not None:
        span, patient = _span(appointment.starts_at, appointment.ends_at, tz, language), appointment.patient_name
    else:
        span, patient = '', ''
    parts = [', '.join(part for part in (span, patient) if part)]
    if after.get('reason'):
        parts.append(_('Reason: {reason}', reason=after['reason']))  # the patient's own words, as written
    if after.get('cancel_reason'):
        given = str(after['cancel_reason'])
        said = translate(language, given) if given in STAFF_CANCEL_REASONS else given  # kept in English
        parts.append(_('Reason given: {reason}', reason=said))
    if action not in ACTION_WORDS and (before.get('status') or after.get('status')):
        status = _arrow(_('Status'), _status(before.get('status')), _status(after.get('status')), language)
        parts.append(status)
    return '. '.join(part for part in parts if part)


def _period_change(before: dict[str, Any], after: dict[str, Any], tz: ZoneInfo, language: str) -> str:
    _ = translator(language)
    if not before or not after:
        values = after or before
        reason = _reason(values.get('reason'), language)
        note = str(values.get('note') or '')
        details = ', '.join(part for part in (reason, f'“{note}”' if note else '') if part)
        span = _span_of(values, tz, language)
        return f'{span} ({details})' if details else span
    parts = []
    old_span, new_span = _span_of(before, tz, language), _span_of(after, tz, language)
    parts.append(_('From {old} to {new}', old=old_span, new=new_span) if old_span != new_span else new_span)
    if before.get('reason') != after.get('reason'):
        old_reason, new_reason = _reason(before.get('reason'), language), _reason(after.get('reason'), language)
        parts.append(_arrow(_('Reason'), old_reason, new_reason, language))
    if (before.get('note') or '') != (after.get('note') or ''):
        old_note, new_note = _quoted(before.get('note'), language), _quoted(after.get('note'), language)
        parts.append(_arrow(_('Note'), old_note, new_note, language))
    return '; '.join(parts)


def _reason(code: Any, language: str) -> str:
    """A period's reason category in words ('' for none or an unknown one)."""
    words = REASON_WORDS.get(str(code or ''), '')
    return translate(language, words) if words else ''


def _hours_change(before: dict[str, Any], after: dict[str, Any], language: str) -> str:
    _ = translator(language)
    old, new = _week(before.get('hours') or []), _week(after.get('hours') or [])
    parts = [
        f'{translate(language, DAY_NAMES[day])} {_ranges(old.get(day, []), language)} {ARROW} '
        f'{_ranges(new.get(day, []), language)}'
        for day in range(7)
        if old.get(day, []) != new.get(day, [])
    ]
    changes = [_('Working hours: {changes}', changes='; '.join(parts))] if parts else []
    if before.get('slot_minutes') != after.get('slot_minutes') and before.get('slot_minutes') is not None:
        changes.append(
            _('Slot length: {old} → {new} minutes', old=before['slot_minutes'], new=after.get('slot_minutes'))
        )
    return '. '.join(changes) or _('No change')


def _generic_change(before: dict[str, Any], after: dict[str, Any], tz: ZoneInfo, language: str) -> str:
    parts = []
    for key in sorted(before.keys() | after.keys()):
        old, new = _value_words(before.get(key), tz, language), _value_words(after.get(key), tz, language)
        if old != new:
            parts.append(_arrow(key.replace('_', ' ').capitalize(), old, new, language))
    return '; '.join(parts)


def _week(hours: list[str]) -> dict[int, list[str]]:
    """['2:09:00-12:00', ...] (weekday:start-end) -> {2: ['09:00-12:00']}, with an en dash."""
    week: dict[int, list[str]] = {}
    for text in hours:
        day, _, span = str(text).partition(':')
        if day.isdigit():
            week.setdefault(int(day), []).append(span.replace('-', DASH))
    return {day: sorted(ranges) for day, ranges in week.items()}


def _ranges(ranges: list[str], language: str) -> str:
    return ', '.join(ranges) if ranges else translate(language, N_('day off'))


def _span_of(values: dict[str, Any], tz: ZoneInfo, language: str) -> str:
    starts_at, ends_at = _moment(values.get('starts_at')), _moment(values.get('ends_at'))
    if starts_at is None:
        return ''
    return _span(starts_at, ends_at, tz, language)


def _span(starts_at: datetime, ends_at: datetime | None, tz: ZoneInfo, language: str) -> str:
    """'Mon 1 Dec 09:00-11:30', or 'Mon 1 Dec 09:00 - Wed 3 Dec 17:00' over several days (en dashes)."""
    start = starts_at.astimezone(tz)
    if ends_at is None:
        return _day_and_time(start, language)
    end = ends_at.astimezone(tz)
    if start.date() == end.date():
        return f'{_day_and_time(start, language)}{DASH}{end:%H:%M}'
    return f'{_day_and_time(start, language)} {DASH} {_day_and_time(end, language)}'


def _day_and_time(moment: datetime, language: str) -> str:
    """'Mon 1 Dec 09:00' ('lun, 1 dic 09:00', 'Mo., 1. Dez. 09:00'): the day short, the time always HH:MM."""
    english = f'{DAY_NAMES[moment.weekday()]} {moment.day} {moment:%b %H:%M}'
    return local_form(
        language, english, lambda locale: f'{format_skeleton("MMMEd", moment, locale=locale)} {moment:%H:%M}'
    )


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # written as UTC


def _value_words(value: Any, tz: ZoneInfo, language: str) -> str:
    moment = _moment(value)
    if moment is not None and 'T' in str(value):
        return _day_and_time(moment.astimezone(tz), language)
    if isinstance(value, list):
        return ', '.join(str(v) for v in value)
    return '' if value is None else str(value)


def _status(value: Any) -> str:
    return str(value or '').replace('_', '-')


def _quoted(value: Any, language: str) -> str:
    return f'“{value}”' if value else translate(language, N_('none'))


def _arrow(label: str, old: str, new: str, language: str) -> str:
    none = translate(language, N_('none'))
    return f'{label}: {old or none} {ARROW} {new or none}'


def _values(text: str) -> dict[str, Any]:
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}
