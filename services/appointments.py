"""One appointment as its people see it: the list a person may follow, the one a patient moves, a no-show, and
the event that tells everyone about a change to an appointment."""

from datetime import datetime

from models import Appointment, AppointmentStatus

from .access import load_actor, require_may_mark_no_show, require_may_move, visible_appointments
from .audit import record
from .clinic import Clinic
from .errors import InvalidInput, NotFound
from .i18n import N_
from .live.events import Change, ScheduleChanged
from .read_models.appointments import ListKey, describe
from .read_models.values import AppointmentInfo, Person
from .slot_engine import local_days


def appointment_list_key(clinic: Clinic, *, actor_id: int) -> ListKey:
    """Return which appointment list a person may follow: a patient's own, a doctor's own, all for an admin."""
    with clinic.db.reading() as session:
        return visible_appointments(load_actor(session, actor_id))


def appointment_of(clinic: Clinic, *, actor_id: int, appointment_id: int) -> AppointmentInfo:
    """Return an upcoming booked appointment the actor may move: a patient's own, or any for the front desk."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
        try:
            appointment = require_may_move(actor, session.get(Appointment, appointment_id))
        except NotFound:
            raise NotFound(N_('This appointment cannot be changed.')) from None
        if appointment.status is not AppointmentStatus.booked or appointment.starts_at <= clinic.now():
            raise NotFound(N_('This appointment cannot be changed.'))
        return describe(session, appointment)


def mark_no_show(clinic: Clinic, *, actor_id: int, appointment_id: int, origin: str | None = None) -> AppointmentInfo:
    """Record that the patient did not come (the doctor, or an admin, once the appointment has started)."""
    with clinic.db.writing() as session:
        actor = load_actor(session, actor_id)
        appointment = require_may_mark_no_show(actor, session.get(Appointment, appointment_id))
        if appointment.starts_at > clinic.now():
            raise InvalidInput(N_('A no-show can be marked once the appointment has started.'))
        if appointment.status not in (AppointmentStatus.booked, AppointmentStatus.completed):
            raise InvalidInput(N_('Only a booked or completed appointment can be marked as a no-show.'))
        record(
            session,
            clinic,
            actor=actor,
            action='appointment.no_show',
            doctor_id=appointment.doctor_id,
            appointment_id=appointment.id,
            before={'status': appointment.status},
            after={'status': 'no_show'},
        )
        appointment.status = AppointmentStatus.no_show
        session.add(appointment)
        session.flush()
        info = describe(session, appointment)
    clinic.hub.publish(appointment_changed(clinic, info, Change.no_show, actor, origin, reminders=False))
    return info


def appointment_changed(
    clinic: Clinic,
    info: AppointmentInfo,
    change: Change,
    actor: Person,
    origin: str | None,
    *,
    moved_from: tuple[datetime, datetime] | None = None,
    reminders: bool = True,
) -> ScheduleChanged:
    """The event for a change to one appointment: its day (and the day it moved from), its patient, and its id
    when its reminders must be planned again."""
    spans = [local_days(info.starts_at, info.ends_at, clinic.tz)]
    if moved_from is not None:
        spans.insert(0, local_days(*moved_from, clinic.tz))
    return ScheduleChanged(
        doctor_id=info.doctor_id,
        day_ranges=tuple(spans),
        change=change,
        actor_id=actor.id,
        actor_name=actor.full_name,
        origin=origin,
        patient_ids=frozenset({info.patient_id}),
        appointment_ids=frozenset({info.id}) if reminders else frozenset(),
    )
