"""The doctor's day and week: the agenda the doctor and the front desk read (patients' names and reasons)."""

from datetime import date

from .access import load_actor, require_schedule_access
from .clinic import Clinic
from .read_models.agenda import DayAgenda, WeekAgenda, day_agenda, monday_of, week_agenda


def doctor_agenda(clinic: Clinic, *, actor_id: int, doctor_id: int, day: date) -> DayAgenda:
    """Return a doctor's appointments on one day, to the doctor themself or an admin."""
    with clinic.db.reading() as session:
        require_schedule_access(session, load_actor(session, actor_id), doctor_id)
    return day_agenda(clinic, doctor_id=doctor_id, day=day)


def doctor_week(clinic: Clinic, *, actor_id: int, doctor_id: int, day: date) -> WeekAgenda:
    """Return a doctor's appointments in the Monday-to-Sunday week of `day`, to the doctor themself or an admin."""
    with clinic.db.reading() as session:
        require_schedule_access(session, load_actor(session, actor_id), doctor_id)
    return week_agenda(clinic, doctor_id=doctor_id, monday=monday_of(day))
