"""The kinds of visit a doctor offers: added, changed and retired by the doctor or the front desk.

A change reaches every page showing the doctor's free times (their starts depend on the lengths and buffers) and
the schedule pages. Appointments keep the times they were booked with: a new length applies to later bookings.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from models import AppointmentType

from .access import load_actor, require_schedule_access
from .audit import record
from .clinic import Clinic
from .errors import InvalidInput, InvalidInputs, NotFound
from .i18n import N_, translate
from .live.events import Change, ScheduleChanged
from .read_models.free_time import offered_types
from .read_models.values import Person, VisitType
from .validation import LabelledInput, clean_text

DEFAULT_NAME = N_('Consultation')  # in the clinic's language; data once saved: the doctor renames it as they like
MAX_NAME = 80
MAX_MINUTES = 240
MAX_BUFFER = 120


def add_default_type(session: Session, *, doctor_id: int, slot_minutes: int, language: str) -> None:
    """Give a new doctor the one kind of visit every doctor starts with: a consultation as long as their slot, named
    in the clinic's `language`."""
    minutes = min(MAX_MINUTES, max(5, slot_minutes - slot_minutes % 5))
    session.add(AppointmentType(doctor_id=doctor_id, name=translate(language, DEFAULT_NAME), minutes=minutes))


def follow_slot_length(session: Session, *, doctor_id: int, old: int, new: int) -> None:
    """A doctor who offers one visit as long as their slot, without buffers, keeps it so when the slot length changes
    (as before kinds of visit existed); any other set of kinds stays as the doctor made it."""
    kinds = session.exec(
        select(AppointmentType).where(AppointmentType.doctor_id == doctor_id, col(AppointmentType.retired_at).is_(None))
    ).all()
    if len(kinds) == 1 and (kinds[0].minutes, kinds[0].buffer_before, kinds[0].buffer_after) == (old, 0, 0):
        kinds[0].minutes = min(MAX_MINUTES, max(5, new - new % 5))
        session.add(kinds[0])


def add_visit_type(
    clinic: Clinic,
    *,
    actor_id: int,
    doctor_id: int,
    name: str | None,
    minutes: object,
    before: object = 0,
    after: object = 0,
    patients_may_book: bool = True,
    origin: str | None = None,
) -> VisitType:
    """Offer a new kind of visit with the doctor (the doctor themself or the front desk)."""
    shape = _checked(name, minutes, before, after)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_schedule_access(session, actor, doctor_id)
        row = AppointmentType(doctor_id=doctor_id, name=shape.name, minutes=shape.minutes)
        _apply(row, shape, patients_may_book)
        _save(session, row)
        kind = VisitType.of(row)
        record(session, clinic, actor=actor, action='type.added', doctor_id=doctor_id, after=_audited(kind))
    _publish(clinic, actor, doctor_id, origin)
    return kind


def change_visit_type(
    clinic: Clinic,
    *,
    actor_id: int,
    type_id: int,
    name: str | None,
    minutes: object,
    before: object = 0,
    after: object = 0,
    patients_may_book: bool = True,
    origin: str | None = None,
) -> VisitType:
    """Change a kind of visit; appointments already booked with it keep their times."""
    shape = _checked(name, minutes, before, after)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        row = _offered(session, actor, type_id)
        was = VisitType.of(row)
        _apply(row, shape, patients_may_book)
        _save(session, row)
        kind = VisitType.of(row)
        _require_one_for_patients(session, row.doctor_id)
        record(
            session,
            clinic,
            actor=actor,
            action='type.changed',
            doctor_id=row.doctor_id,
            before=_audited(was),
            after=_audited(kind),
        )
    _publish(clinic, actor, kind.doctor_id, origin)
    return kind


def retire_visit_type(clinic: Clinic, *, actor_id: int, type_id: int, origin: str | None = None) -> VisitType:
    """Stop offering a kind of visit; its booked appointments stay as they are. A doctor keeps at least one kind."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        row = _offered(session, actor, type_id)
        row.retired_at = clinic.now()
        session.add(row)
        session.flush()
        if not offered_types(session, row.doctor_id):
            raise InvalidInput(N_('A doctor offers at least one kind of visit: add another before removing this one.'))
        _require_one_for_patients(session, row.doctor_id)
        kind = VisitType.of(row)
        record(session, clinic, actor=actor, action='type.retired', doctor_id=row.doctor_id, before=_audited(kind))
    _publish(clinic, actor, kind.doctor_id, origin)
    return kind


@dataclass(frozen=True)
class _Shape:
    name: str
    minutes: int
    buffer_before: int
    buffer_after: int


def _apply(row: AppointmentType, shape: _Shape, patients_may_book: bool) -> None:
    row.name, row.minutes = shape.name, shape.minutes
    row.buffer_before, row.buffer_after = shape.buffer_before, shape.buffer_after
    row.patients_may_book = bool(patients_may_book)


def _checked(name: str | None, minutes: object, before: object, after: object) -> _Shape:
    """The type's fields, or every problem with them at once."""
    problems: list[InvalidInput] = []
    shape: dict[str, int] = {}
    text = ''
    try:
        text = clean_text(name, field='type_name', label=N_('Name'), required=True, limit=MAX_NAME)
    except InvalidInput as problem:
        problems.append(problem)
    for key, field, label, low, high in (
        ('minutes', 'type_minutes', N_('Length'), 5, MAX_MINUTES),
        ('buffer_before', 'type_before', N_('Time kept free before'), 0, MAX_BUFFER),
        ('buffer_after', 'type_after', N_('Time kept free after'), 0, MAX_BUFFER),
    ):
        value = {'minutes': minutes, 'buffer_before': before, 'buffer_after': after}[key]
        if key != 'minutes' and value in (None, ''):  # no buffer given: none
            value = 0
        number = _whole(value)
        if number is None or not low <= number <= high or number % 5:
            problems.append(
                LabelledInput(
                    N_('{label}: a number of minutes from {low} to {high}, in steps of 5.'),
                    words={'label': label},
                    field=field,
                    low=low,
                    high=high,
                )
            )
        else:
            shape[key] = number
    if problems:
        raise problems[0] if len(problems) == 1 else InvalidInputs(problems)
    return _Shape(name=text, **shape)


def _whole(value: object) -> int | None:
    """A whole number typed or sent in any plain form; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _save(session: Session, row: AppointmentType) -> None:
    session.add(row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise InvalidInput(
            N_('This doctor already offers a visit named "{name}".'), field='type_name', name=row.name
        ) from None


def _offered(session: Session, actor: Person, type_id: int) -> AppointmentType:
    row = session.get(AppointmentType, type_id)
    if row is None or row.retired_at is not None:
        raise NotFound(N_('This kind of visit is no longer offered.'), field='type')
    require_schedule_access(session, actor, row.doctor_id)
    return row


def _require_one_for_patients(session: Session, doctor_id: int) -> None:
    """Patients must be able to book something with the doctor themselves."""
    if not any(kind.patients_may_book for kind in offered_types(session, doctor_id)):
        raise InvalidInput(N_('Patients must be able to book at least one kind of visit themselves.'), field='type')


def _audited(kind: VisitType) -> dict[str, object]:
    return {
        'name': kind.name,
        'minutes': kind.minutes,
        'before': kind.before,
        'after': kind.after,
        'patients_may_book': kind.patients_may_book,
    }


def _publish(clinic: Clinic, actor: Person, doctor_id: int, origin: str | None) -> None:
    """After the commit: every page showing the doctor's free times or schedule."""
    today = clinic.today()
    clinic.hub.publish(
        ScheduleChanged(
            doctor_id=doctor_id,
            day_ranges=((today, clinic.last_bookable_day() + timedelta(days=1)),),
            change=Change.types_changed,
            actor_id=actor.id,
            actor_name=actor.full_name,
            origin=origin,
        )
    )
