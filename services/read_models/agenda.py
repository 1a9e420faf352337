"""A doctor's day and week as the doctor and the front desk read them: who comes when, why, and who is in now."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import col, func, or_, select

from models import Appointment, AppointmentStatus, Doctor, User

from ..clinic import Clinic
from ..errors import NotFound
from ..i18n import N_
from ..slot_engine import local_day_bounds
from .appointments import describe_many

AgendaKey = tuple[int, date]  # (doctor id, local day); a week's key names its Monday
STATUS_WORDS = {  # translated where shown
    AppointmentStatus.booked: N_('Booked'),
    AppointmentStatus.cancelled: N_('Cancelled'),
    AppointmentStatus.completed: N_('Completed'),
    AppointmentStatus.no_show: N_('No-show'),
}


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    id: int
    starts_at: datetime
    ends_at: datetime
    times: str  # local start and end, HH:MM each
    patient_name: str
    reason: str
    status: AppointmentStatus
    now: bool = False  # under way at the time the agenda was computed

    @property
    def status_words(self) -> str:
        """The status in English (a page shows it with `_(entry.status_words)`)."""
        return STATUS_WORDS[self.status]


@dataclass(frozen=True, slots=True)
class DayAgenda:
    doctor_id: int
    doctor_name: str
    day: date
    entries: tuple[AgendaEntry, ...]


@dataclass(frozen=True, slots=True)
class WeekAgenda:
    doctor_id: int
    doctor_name: str
    monday: date
    days: tuple[DayAgenda, ...]  # Monday to Sunday


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_agenda(clinic: Clinic, *, doctor_id: int, day: date) -> DayAgenda:
    """Return a doctor's appointments on one local day, in every status, the one under way marked."""
    return _agendas(clinic, doctor_id, day, days=1)[0]


def week_agenda(clinic: Clinic, *, doctor_id: int, monday: date) -> WeekAgenda:
    """Return a doctor's appointments from `monday` to the Sunday after, one query for the week."""
    days = _agendas(clinic, doctor_id, monday, days=7)
    return WeekAgenda(doctor_id=doctor_id, doctor_name=days[0].doctor_name, monday=monday, days=tuple(days))


def next_appointment_turn(clinic: Clinic) -> datetime | None:
    """Return when the next booked appointment of any doctor starts or ends, whichever comes first (it then moves to
    the doctor's Today list, and the agenda's highlight moves on)."""
    now = clinic.now()
    booked = Appointment.status == AppointmentStatus.booked
    with clinic.db.reading() as session:
        start = session.exec(select(func.min(Appointment.starts_at)).where(booked, col(Appointment.starts_at) > now))
        end = session.exec(select(func.min(Appointment.ends_at)).where(booked, col(Appointment.ends_at) > now))
        return min((t for t in (start.one(), end.one()) if t is not None), default=None)


def doctors_with_appointments_turning(clinic: Clinic, *, after: datetime, until: datetime) -> set[int]:
    """Return the doctors with an appointment (not cancelled) that started or ended in (after, until]."""
    with clinic.db.reading() as session:
        return set(
            session.exec(
                select(Appointment.doctor_id)
                .distinct()
                .where(
                    col(Appointment.status).not_in((AppointmentStatus.cancelled, AppointmentStatus.held)),
                    or_(
                        (col(Appointment.starts_at) > after) & (col(Appointment.starts_at) <= until),
                        (col(Appointment.ends_at) > after) & (col(Appointment.ends_at) <= until),
                    ),
                )
            ).all()
        )


def _agendas(clinic: Clinic, doctor_id: int, first: date, *, days: int) -> list[DayAgenda]:
    tz, now = clinic.tz, clinic.now()
    starts, _ = local_day_bounds(first, tz)
    _, ends = local_day_bounds(first + timedelta(days=days - 1), tz)
    with clinic.db.reading() as session:
        name = session.exec(
            select(User.full_name).join(Doctor, col(Doctor.user_id) == User.id).where(Doctor.id == doctor_id)
        ).first()
        if name is None:
            raise NotFound(N_('Unknown doctor.'), field='doctor')
        rows = session.exec(
            select(Appointment)
            .where(
                Appointment.doctor_id == doctor_id,
                col(Appointment.starts_at) >= starts,
                col(Appointment.starts_at) < ends,
                Appointment.status != AppointmentStatus.held,  # an offer to a waiting patient, not yet theirs
            )
            .order_by(col(Appointment.starts_at), col(Appointment.id))
        ).all()
        infos = describe_many(session, rows)
    by_day: dict[date, list[AgendaEntry]] = {first + timedelta(days=i): [] for i in range(days)}
    for a in infos:
        start, end = a.starts_at.astimezone(tz), a.ends_at.astimezone(tz)
        by_day[start.date()].append(
            AgendaEntry(
                id=a.id,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                times=f'{start:%H:%M}–{end:%H:%M}',
                patient_name=a.patient_name,
                reason=a.reason,
                status=a.status,
                now=a.status is AppointmentStatus.booked and a.starts_at <= now < a.ends_at,
            )
        )
    return [DayAgenda(doctor_id, name, day, tuple(entries)) for day, entries in by_day.items()]
