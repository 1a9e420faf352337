"""The clinic's live boards: free slots per doctor and day, schedules per doctor, appointment lists, inboxes.

Each board is a set of shared views kept current from domain events through the read models alone.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from ..clinic import Clinic
from ..read_models.agenda import AgendaKey, DayAgenda, WeekAgenda, day_agenda, week_agenda
from ..read_models.appointments import AppointmentFilter, ListKey, appointment_list, filtered_list
from ..read_models.doctors import BookableDoctors, bookable_doctors
from ..read_models.free_time import day_slots
from ..read_models.inboxes import inbox_of
from ..read_models.schedules import schedule_of
from ..read_models.values import AppointmentInfo, DaySlots, DoctorSchedule, Inbox
from .events import Change, DoctorsChanged, DomainEvent, InboxChanged, MailQueued, ScheduleChanged
from .shared_views import SharedViews

SlotKey = tuple[int, date]  # (doctor id, local day)
CLINIC = 'clinic'  # the one key of the doctors board: the whole clinic's list


@dataclass
class LiveBoards:
    slots: SharedViews[SlotKey, DaySlots]
    schedules: SharedViews[int, DoctorSchedule]
    appointment_lists: SharedViews[ListKey, tuple[AppointmentInfo, ...]]
    inboxes: SharedViews[int, Inbox]
    doctors: SharedViews[str, BookableDoctors]
    agendas: SharedViews[AgendaKey, DayAgenda]  # (doctor, day)
    week_agendas: SharedViews[AgendaKey, WeekAgenda]  # (doctor, Monday)
    front_desk_lists: SharedViews[AppointmentFilter, tuple[AppointmentInfo, ...]]  # one per filter in use

    async def on_event(self, event: DomainEvent) -> None:
        if isinstance(event, InboxChanged):
            await self.inboxes.on_event(event)
            return
        if isinstance(event, MailQueued):  # nothing on a page shows the outbox live
            return
        await self.doctors.on_event(event)
        await self.slots.on_event(event)
        await self.schedules.on_event(event)
        await self.appointment_lists.on_event(event)
        await self.agendas.on_event(event)
        await self.week_agendas.on_event(event)
        await self.front_desk_lists.on_event(event)

    async def refresh_all(self) -> None:
        """Recompute every watched view quietly (after a reconnect, or when time has moved on)."""
        await self.slots.refresh()
        await self.schedules.refresh()
        await self.appointment_lists.refresh()
        await self.inboxes.refresh()
        await self.doctors.refresh()
        await self.agendas.refresh()
        await self.week_agendas.refresh()
        await self.front_desk_lists.refresh()


def build_live_boards(clinic: Clinic) -> LiveBoards:
    """Create the boards and connect them to the clinic's event hub."""
    boards = LiveBoards(
        slots=SharedViews(
            'slots',
            load=lambda key: day_slots(clinic, doctor_id=key[0], day=key[1]),
            affects=lambda key, event: isinstance(event, ScheduleChanged) and event.touches(*key),
        ),
        schedules=SharedViews(
            'schedules',
            load=lambda doctor_id: schedule_of(clinic, doctor_id=doctor_id),
            affects=lambda doctor_id, event: isinstance(event, ScheduleChanged) and doctor_id == event.doctor_id,
        ),
        appointment_lists=SharedViews(
            'appointment lists',
            load=lambda key: appointment_list(clinic, key),
            affects=_list_affected,
        ),
        inboxes=SharedViews(
            'inboxes',
            load=lambda user_id: inbox_of(clinic, user_id),
            affects=lambda user_id, event: isinstance(event, InboxChanged) and event.user_id == user_id,
        ),
        doctors=SharedViews('doctors', load=lambda _: bookable_doctors(clinic), affects=_doctors_affected),
        agendas=SharedViews(
            'agendas',
            load=lambda key: day_agenda(clinic, doctor_id=key[0], day=key[1]),
            affects=lambda key, event: isinstance(event, ScheduleChanged) and event.touches(*key),
        ),
        week_agendas=SharedViews(
            'week agendas',
            load=lambda key: week_agenda(clinic, doctor_id=key[0], monday=key[1]),
            affects=_week_affected,
        ),
        front_desk_lists=SharedViews(
            'front desk lists', load=lambda which: filtered_list(clinic, which), affects=_filtered_list_affected
        ),
    )
    clinic.hub.subscribe(boards.on_event)
    clinic.hub.on_resync(boards.refresh_all)  # events from other processes may have been missed
    return boards


# Changes that can mark a kept appointment as clashing, or clear that mark, without any patient being told.
_CLASH_CHANGES = frozenset({Change.period_added, Change.period_changed, Change.period_removed, Change.hours_changed})


def _list_affected(key: ListKey, event: DomainEvent) -> bool:
    if not isinstance(event, ScheduleChanged):
        return False
    kind, ident = key
    if kind == 'patient':
        return event.partial or ident in event.patient_ids
    if kind == 'doctor':  # any change to the doctor's schedule may mark or clear a clash
        return ident == event.doctor_id
    return event.partial or bool(event.patient_ids) or event.change in _CLASH_CHANGES


def _filtered_list_affected(which: AppointmentFilter, event: DomainEvent) -> bool:
    """A change to an appointment (or a clash) of the filter's doctor on one of its days."""
    if not isinstance(event, ScheduleChanged):
        return False
    if which.doctor_id is not None and which.doctor_id != event.doctor_id:
        return False
    if not any(first <= which.last_day and which.first_day <= last for first, last in event.day_ranges):
        return False
    return event.partial or bool(event.patient_ids) or event.change in _CLASH_CHANGES


def _doctors_affected(_key: str, event: DomainEvent) -> bool:
    """A doctor added, or working hours changed (which weekdays the date picker offers)."""
    return isinstance(event, DoctorsChanged) or (
        isinstance(event, ScheduleChanged) and event.change is Change.hours_changed
    )


def _week_affected(key: AgendaKey, event: DomainEvent) -> bool:
    doctor_id, monday = key
    return isinstance(event, ScheduleChanged) and any(
        event.touches(doctor_id, monday + timedelta(days=d)) for d in range(7)
    )
