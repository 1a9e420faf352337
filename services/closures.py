"""Clinic closures: the front desk closes the clinic (or chosen doctors) for a holiday or a training day.

A closure behaves exactly like each covered doctor's own block: it is held as an unavailability period of theirs,
the bookings in its way are shown first and kept or cancelled (the patients told), and every page showing a covered
doctor's day updates once per doctor and day. Doctors see it on their schedule but only the front desk changes it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import Closure, Doctor, Unavailability, UnavailabilityReason, User

from .access import load_actor, require_front_desk
from .audit import record
from .availability import InTheWay, check_period, settle_appointments
from .cancel_reasons import CLINIC_CLOSED
from .clinic import Clinic
from .errors import InvalidInput, NotFound
from .i18n import N_
from .live.events import Change, DoctorsChanged, InboxChanged, ScheduleChanged
from .offers import offer_freed_span
from .read_models.values import AppointmentInfo, Person
from .slot_engine import local_days
from .validation import clean_text

MAX_NAME = 120


@dataclass(frozen=True, slots=True)
class ClosureInfo:
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    whole_clinic: bool
    doctor_names: tuple[str, ...]


def close_clinic(
    clinic: Clinic,
    *,
    actor_id: int,
    name: str | None,
    starts_at: datetime,
    ends_at: datetime,
    doctor_ids: Sequence[int] = (),
    in_the_way: InTheWay | None = None,
    origin: str | None = None,
) -> ClosureInfo:
    """Close the clinic (no `doctor_ids`: every doctor, also those who join later) or the chosen doctors; refuses with
    the bookings in the way unless told to keep or cancel them."""
    name = clean_text(name, field='closure_name', label=N_('Name'), required=True, limit=MAX_NAME)
    check_period(clinic, starts_at, ends_at)
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        doctors = _covered(session, doctor_ids)
        cancelled = settle_appointments(session, clinic, actor, doctors, starts_at, ends_at, in_the_way, CLINIC_CLOSED)
        closure = Closure(
            name=name,
            starts_at=starts_at,
            ends_at=ends_at,
            whole_clinic=not doctor_ids,
            created_by_id=actor.id,
            created_at=clinic.now(),
        )
        session.add(closure)
        session.flush()
        assert closure.id is not None
        for doctor_id in doctors:
            session.add(_period_of(closure, doctor_id))
        info = _info(session, closure)
        record(session, clinic, actor=actor, action='closure.added', after=_audited(info), covers=doctors)
    _publish(clinic, actor, doctors, Change.period_added, origin, cancelled, (starts_at, ends_at))
    return info


def remove_closure(clinic: Clinic, *, actor_id: int, closure_id: int, origin: str | None = None) -> ClosureInfo:
    """Open the clinic again for a closure's time: every covered doctor's time becomes bookable at once."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        require_front_desk(actor)
        closure = session.get(Closure, closure_id)
        if closure is None:
            raise NotFound(N_('This closure no longer exists; it may have been removed in another window.'))
        info = _info(session, closure)
        periods = session.exec(select(Unavailability).where(Unavailability.closure_id == closure_id)).all()
        doctors = tuple(sorted({period.doctor_id for period in periods}))
        for period in periods:
            session.delete(period)
        session.flush()
        session.delete(closure)
        for doctor_id in doctors:  # time freed for the waitlist first, so no page shows it free before it is offered
            offer_freed_span(session, clinic, doctor_id=doctor_id, starts_at=info.starts_at, ends_at=info.ends_at)
        record(session, clinic, actor=actor, action='closure.removed', before=_audited(info), covers=doctors)
    _publish(clinic, actor, doctors, Change.period_removed, origin, (), (info.starts_at, info.ends_at))
    return info


def upcoming_closures(clinic: Clinic, *, actor_id: int) -> tuple[ClosureInfo, ...]:
    """The closures not yet over, soonest first, for the front desk."""
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        rows = session.exec(
            select(Closure).where(col(Closure.ends_at) > clinic.now()).order_by(col(Closure.starts_at))
        ).all()
        return tuple(_info(session, row) for row in rows)


def close_for_new_doctor(session: Session, clinic: Clinic, *, doctor_id: int) -> None:
    """A doctor who joins holds the whole clinic's closures still to come, as every other doctor does."""
    rows = session.exec(
        select(Closure).where(Closure.whole_clinic == True, col(Closure.ends_at) > clinic.now())  # noqa: E712
    ).all()
    for closure in rows:
        session.add(_period_of(closure, doctor_id))


def _period_of(closure: Closure, doctor_id: int) -> Unavailability:
    assert closure.id is not None
    return Unavailability(
        doctor_id=doctor_id,
        starts_at=closure.starts_at,
        ends_at=closure.ends_at,
        reason=UnavailabilityReason.other,
        note=closure.name,
        created_by_id=closure.created_by_id,
        created_at=closure.created_at,
        closure_id=closure.id,
    )


def _covered(session: Session, doctor_ids: Sequence[int]) -> tuple[int, ...]:
    """The doctors a closure covers: the chosen ones (each must exist), or every doctor of the clinic."""
    if doctor_ids:
        chosen = sorted(set(doctor_ids))
        known = set(session.exec(select(Doctor.id).where(col(Doctor.id).in_(chosen))).all())
        if len(known) != len(chosen):
            raise InvalidInput(N_('Choose the doctors from the list.'), field='closure_doctors')
        return tuple(chosen)
    rows = session.exec(select(Doctor.id)).all()  # inactive ones too: one reactivated later is closed as well
    return tuple(sorted(doctor_id for doctor_id in rows if doctor_id is not None))


def _info(session: Session, closure: Closure) -> ClosureInfo:
    assert closure.id is not None
    names = session.exec(
        select(User.full_name)
        .join(Doctor, col(Doctor.user_id) == User.id)
        .join(Unavailability, col(Unavailability.doctor_id) == Doctor.id)
        .where(Unavailability.closure_id == closure.id)
        .order_by(col(User.full_name))
    ).all()
    return ClosureInfo(
        id=closure.id,
        name=closure.name,
        starts_at=closure.starts_at,
        ends_at=closure.ends_at,
        whole_clinic=closure.whole_clinic,
        doctor_names=tuple(names),
    )


def _audited(info: ClosureInfo) -> dict[str, object]:
    return {
        'name': info.name,
        'starts_at': info.starts_at,
        'ends_at': info.ends_at,
        'doctors': 'the whole clinic' if info.whole_clinic else ', '.join(info.doctor_names),
    }


def _publish(
    clinic: Clinic,
    actor: Person,
    doctor_ids: Sequence[int],
    change: Change,
    origin: str | None,
    cancelled: tuple[AppointmentInfo, ...],
    span: tuple[datetime, datetime],
) -> None:
    """After the commit: one change per covered doctor (each of their watched days is computed once), the date
    pickers' closed days, and the patients whose appointments went, live and by e-mail."""
    for doctor_id in doctor_ids:
        mine = [info for info in cancelled if info.doctor_id == doctor_id]
        clinic.hub.publish(
            ScheduleChanged(
                doctor_id=doctor_id,
                day_ranges=(local_days(*span, clinic.tz),),
                change=change,
                actor_id=actor.id,
                actor_name=actor.full_name,
                origin=origin,
                patient_ids=frozenset(info.patient_id for info in mine),
                appointment_ids=frozenset(info.id for info in mine),
                spans=(span,),
            )
        )
    if doctor_ids:
        clinic.hub.publish(DoctorsChanged(doctor_id=doctor_ids[0]))
    for patient in sorted({info.patient_id for info in cancelled}):
        clinic.hub.publish(InboxChanged(user_id=patient))
