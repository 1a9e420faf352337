"""The clinic's live boards: free slots per doctor and day, schedules per doctor, appointment lists per person."""

from dataclasses import dataclass
from datetime import date

from models import Role

from . import appointments, free_time, schedule
from .access import load_actor
from .clinic import Clinic
from .errors import NotAllowed
from .events import DomainEvent, InboxChanged, ScheduleChanged
from .live_views import LiveViews
from .notifications import Inbox, inbox_in_session
from .views import AppointmentInfo, DaySlots, DoctorSchedule

SlotKey = tuple[int, date]  # (doctor id, local day)
ListKey = tuple[str, int]  # ('patient', user id) | ('doctor', doctor id) | ('all', 0)


@dataclass
class LiveBoards:
    slots: LiveViews[SlotKey, DaySlots]
    schedules: LiveViews[int, DoctorSchedule]
    appointment_lists: LiveViews[ListKey, tuple[AppointmentInfo, ...]]
    inboxes: LiveViews[int, Inbox]

    async def on_event(self, event: DomainEvent) -> None:
        if isinstance(event, InboxChanged):
            await self.inboxes.on_event(event)
            return
        await self.slots.on_event(event)
        await self.schedules.on_event(event)
        await self.appointment_lists.on_event(event)

    async def refresh_all(self) -> None:
        """Recompute every watched view quietly (after a reconnect, or when time has moved on)."""
        await self.slots.refresh()
        await self.schedules.refresh()
        await self.appointment_lists.refresh()
        await self.inboxes.refresh()


def build_live_boards(clinic: Clinic) -> LiveBoards:
    """Create the boards and connect them to the clinic's event hub."""
    boards = LiveBoards(
        slots=LiveViews(
            'slots',
            load=lambda key: free_time.day_slots(clinic, doctor_id=key[0], day=key[1]),
            affects=lambda key, event: isinstance(event, ScheduleChanged) and event.touches(*key),
        ),
        schedules=LiveViews(
            'schedules',
            load=lambda doctor_id: schedule.doctor_schedule(clinic, doctor_id=doctor_id),
            affects=lambda doctor_id, event: isinstance(event, ScheduleChanged) and doctor_id == event.doctor_id,
        ),
        appointment_lists=LiveViews(
            'appointment lists',
            load=lambda key: _load_list(clinic, key),
            affects=_list_affected,
        ),
        inboxes=LiveViews(
            'inboxes',
            load=lambda user_id: _load_inbox(clinic, user_id),
            affects=lambda user_id, event: isinstance(event, InboxChanged) and event.user_id == user_id,
        ),
    )
    clinic.hub.subscribe(boards.on_event)
    clinic.hub.on_resync(boards.refresh_all)  # events from other processes may have been missed
    return boards


def appointment_list_key(clinic: Clinic, *, actor_id: int) -> ListKey:
    """Return which appointment list a person may follow: a patient's own, a doctor's own, all for an admin."""
    with clinic.db.reading() as session:
        actor = load_actor(session, actor_id)
    if actor.role is Role.patient:
        return ('patient', actor.id)
    if actor.role is Role.doctor and actor.doctor_id is not None:
        return ('doctor', actor.doctor_id)
    if actor.role is Role.admin:
        return ('all', 0)
    raise NotAllowed('This account has no appointments to show.')


def _load_list(clinic: Clinic, key: ListKey) -> tuple[AppointmentInfo, ...]:
    kind, ident = key
    with clinic.db.reading() as session:
        if kind == 'patient':
            return tuple(appointments.list_appointments(clinic, session, patient_id=ident))
        if kind == 'doctor':
            return tuple(appointments.list_appointments(clinic, session, doctor_id=ident))
        return tuple(appointments.list_appointments(clinic, session))


def _load_inbox(clinic: Clinic, user_id: int) -> Inbox:
    with clinic.db.reading() as session:
        return inbox_in_session(session, user_id)


def _list_affected(key: ListKey, event: DomainEvent) -> bool:
    if not isinstance(event, ScheduleChanged):
        return False
    kind, ident = key
    if kind == 'patient':
        return event.partial or ident in event.patient_ids
    if kind == 'doctor':
        return ident == event.doctor_id
    return event.partial or bool(event.patient_ids)
