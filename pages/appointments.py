"""/appointments: a patient's own, a doctor's own, or all of them for an admin, kept current live."""

from dataclasses import dataclass

from nicegui import ui

from models import AppointmentStatus, Role
from services.appointments import appointment_list_key
from services.booking import cancel
from services.cancel_reasons import STAFF_CANCEL_REASONS
from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.local_time import format_span
from services.read_models.appointments import ListKey
from services.read_models.values import AppointmentInfo, Person
from services.waitlist import watch_for_earlier

from .components.calls import call, call_and_tell
from .components.confirm import confirm
from .components.follow import Follower, by_someone_else
from .components.frame import frame
from .components.hooks import testid
from .components.notices import Coalesced, Popup
from .components.theme import LIST_ROW
from .components.waitlist_card import WaitlistCard
from .session import guarded

STATUS_WORDS = {
    AppointmentStatus.booked: ('Booked', 'positive'),
    AppointmentStatus.cancelled: ('Cancelled', 'negative'),
    AppointmentStatus.completed: ('Completed', 'grey'),
    AppointmentStatus.no_show: ('No-show', 'warning'),
}


CANCELLED_SECONDS = 10  # a cancellation stays up longer: the person may have to act on it


@dataclass(frozen=True, slots=True)
class _Seen:
    """One change to the list worth a popup."""

    cancelled: bool
    popup: Popup


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/appointments')
    @guarded(clinic, boards)
    async def appointments_page(person: Person) -> None:
        title = 'My appointments' if person.role is Role.patient else 'Appointments'
        with frame(title, person, clinic=clinic, boards=boards):
            key = await call(appointment_list_key, clinic, actor_id=person.id)
            await AppointmentList(clinic, boards, person).start(key)
            if person.role is Role.patient:
                await WaitlistCard(clinic, boards, person).start()


class AppointmentList:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person) -> None:
        self.clinic, self.boards, self.person = clinic, boards, person
        self.client_id = ui.context.client.id
        self.known: dict[int, AppointmentInfo] = {}
        with ui.card().classes('w-full gap-1') as card:
            self.card = card
            self.rows = ui.column().classes('w-full gap-1').mark('appointment-list')
            self.updates: Coalesced[_Seen] = Coalesced(lambda seen: seen.popup, _summary)
        self.follower: Follower[ListKey, tuple[AppointmentInfo, ...]] = Follower(self._on_update, anchor=card)

    async def start(self, key: ListKey) -> None:
        appointments = await self.follower.follow(self.boards.appointment_lists, key)
        if appointments is not None:
            self.show(appointments)

    def show(self, appointments: tuple[AppointmentInfo, ...]) -> None:
        self.known = {a.id: a for a in appointments}
        self.rows.mark('appointment-list', 'appointments-shown')
        self.rows.clear()
        with self.rows:
            if not appointments:
                ui.label('No upcoming appointments.').classes('text-grey-8')
                if self.person.role is Role.patient:
                    ui.link('Book one now', '/book')
            for appointment in appointments:
                self._row(appointment)

    def _row(self, appointment: AppointmentInfo) -> None:
        word, color = STATUS_WORDS[appointment.status]
        with testid(ui.row(), 'appointment-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0'):
                ui.label(format_span(appointment.starts_at, appointment.ends_at, self.clinic.tz)).classes('font-medium')
                who = (
                    [appointment.doctor_name, appointment.type_name]
                    if appointment.type_name
                    else [appointment.doctor_name]
                )
                if self.person.role is not Role.patient:
                    who.append(f'patient {appointment.patient_name}')
                if appointment.reason:
                    who.append(appointment.reason)
                ui.label(' · '.join(who)).classes('text-sm text-grey-8')
                if appointment.status is AppointmentStatus.cancelled:
                    ui.label(_cancelled_text(appointment)).classes('text-sm text-negative')
            testid(ui.badge(word, color=color), 'appointment-status')
            ics = ui.link('Calendar file', f'/appointments/{appointment.id}.ics').props('download')
            testid(ics.classes('text-sm'), 'appointment-ics')
            if appointment.clash:  # a kept appointment outside the hours or in blocked time (never on patients' lists)
                testid(ui.badge(appointment.clash, color='negative').props('outline'), 'appointment-clash')
            if appointment.status is AppointmentStatus.booked and self.person.role is Role.patient:
                day = appointment.starts_at.astimezone(self.clinic.tz).date()
                target = f'/book?doctor={appointment.doctor_id}&day={day}&move={appointment.id}'
                testid(
                    ui.button('Change time', icon='schedule', on_click=lambda t=target: ui.navigate.to(t)).props(
                        'flat dense no-caps'
                    ),
                    'appointment-move',
                )
            if appointment.status is AppointmentStatus.booked and self.person.role is Role.patient:
                testid(
                    ui.button('Earlier time?', icon='update', on_click=lambda a=appointment: self._watch(a)).props(
                        'flat dense no-caps'
                    ),
                    'earlier-watch',
                )
            if appointment.status is AppointmentStatus.booked:
                testid(
                    ui.button('Cancel', icon='event_busy', on_click=lambda a=appointment: self._cancel(a)).props(
                        'flat dense color=negative no-caps'
                    ),
                    'appointment-cancel',
                )

    def _on_update(self, update: Update[tuple[AppointmentInfo, ...]]) -> None:
        before = self.known
        self.show(update.value)
        if by_someone_else(update, self.client_id) is None:
            return
        seen: list[_Seen] = []
        for appointment in update.value:
            old = before.get(appointment.id)
            booked = appointment.status is AppointmentStatus.booked
            if old and old.status is AppointmentStatus.booked and appointment.status is AppointmentStatus.cancelled:
                when = format_span(appointment.starts_at, appointment.ends_at, self.clinic.tz)
                if self.person.role is Role.patient:
                    message = f'Your appointment with {appointment.doctor_name} on {when} was cancelled by '
                else:
                    message = f'The appointment of {appointment.patient_name} on {when} was cancelled by '
                why = f' {appointment.cancel_reason}' if appointment.cancel_reason else ''
                told = Popup(f'{message}{appointment.cancelled_by}.{why}', 'warning', seconds=CANCELLED_SECONDS)
                seen.append(_Seen(cancelled=True, popup=told))
            elif old is None and booked and self.person.role is not Role.patient:
                when = format_span(appointment.starts_at, appointment.ends_at, self.clinic.tz)
                told = Popup(f'New appointment: {when} with {appointment.patient_name}.', 'info')
                seen.append(_Seen(cancelled=False, popup=told))
        self.updates.tell(*seen)  # at once, or gathered with others in a few seconds

    async def _watch(self, appointment: AppointmentInfo) -> None:
        done = 'If an earlier time with this doctor frees up, it is held for you and you are told at once.'
        ids = {'actor_id': self.person.id, 'appointment_id': appointment.id}
        await call_and_tell(self.card, done, watch_for_earlier, self.clinic, **ids)

    async def _cancel(self, appointment: AppointmentInfo) -> None:
        staff = self.person.role is not Role.patient
        text = _what_cancelling_does(appointment, self.clinic, staff=staff)
        reasons = STAFF_CANCEL_REASONS if staff else ()
        with self.card:  # not the row whose button asked: a live update may rebuild it while the question is open
            answer = await confirm(
                'Cancel this appointment?', text, 'Cancel appointment', back='Keep it', reasons=reasons
            )
            if answer is None:
                return
            done = 'The appointment is cancelled and its time is free again.'
            ids = {'actor_id': self.person.id, 'appointment_id': appointment.id, 'origin': self.client_id}
            await call_and_tell(self.card, done, cancel, self.clinic, reason=answer, **ids)


def _what_cancelling_does(appointment: AppointmentInfo, clinic: Clinic, *, staff: bool) -> str:
    """Which appointment, that its time becomes free for others, and that the patient is told if it is not theirs."""
    when = format_span(appointment.starts_at, appointment.ends_at, clinic.tz)
    free = 'Its time becomes free for others to book'
    if not staff:
        return f'Your appointment with {appointment.doctor_name} on {when} will be cancelled. {free}.'
    return (
        f'The appointment of {appointment.patient_name} with {appointment.doctor_name} on {when} will be cancelled. '
        f'{free}, and {appointment.patient_name} is told, with the reason you pick.'
    )


def _cancelled_text(appointment: AppointmentInfo) -> str:
    """Who cancelled it, and the reason the patient was given."""
    by = f'Cancelled by {appointment.cancelled_by}.' if appointment.cancelled_by else 'Cancelled.'
    if appointment.cancel_reason in ('', f'Cancelled by {appointment.cancelled_by}'):  # older rows said only who
        return by
    return f'{by} {appointment.cancel_reason}'


def _summary(seen: list[_Seen]) -> Popup:
    """Several changes in one popup: how many new, how many cancelled."""
    cancelled = sum(s.cancelled for s in seen)
    parts = [f'{count} {what}' for count, what in ((len(seen) - cancelled, 'new'), (cancelled, 'cancelled')) if count]
    message = f'Appointments updated: {" and ".join(parts)}.'
    return Popup(message, 'warning', seconds=CANCELLED_SECONDS) if cancelled else Popup(message)
