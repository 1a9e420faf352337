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
from services.read_models.appointments import ListKey
from services.read_models.values import AppointmentInfo, Person
from services.waitlist import watch_for_earlier

from .components.calls import call, call_and_tell
from .components.confirm import confirm
from .components.doctor_appointments import clash_words
from .components.follow import Follower, by_someone_else
from .components.frame import frame
from .components.hooks import testid
from .components.notices import Coalesced, Popup
from .components.theme import LIST_ROW
from .components.waitlist_card import WaitlistCard
from .language import N_, _, ngettext, span_words
from .session import guarded

STATUS_WORDS = {
    AppointmentStatus.booked: (N_('Booked'), 'positive'),
    AppointmentStatus.cancelled: (N_('Cancelled'), 'negative'),
    AppointmentStatus.completed: (N_('Completed'), 'grey'),
    AppointmentStatus.no_show: (N_('No-show'), 'warning'),
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
        title = N_('My appointments') if person.role is Role.patient else N_('Appointments')
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
                ui.label(_('No upcoming appointments.')).classes('text-grey-8')
                if self.person.role is Role.patient:
                    ui.link(_('Book one now'), '/book')
            for appointment in appointments:
                self._row(appointment)

    def _row(self, appointment: AppointmentInfo) -> None:
        word, color = STATUS_WORDS[appointment.status]
        with testid(ui.row(), 'appointment-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0'):
                ui.label(span_words(appointment.starts_at, appointment.ends_at, self.clinic.tz)).classes('font-medium')
                who = (
                    [appointment.doctor_name, appointment.type_name]
                    if appointment.type_name
                    else [appointment.doctor_name]
                )
                if self.person.role is not Role.patient:
                    who.append(_('patient {name}', name=appointment.patient_name))
                if appointment.reason:
                    who.append(appointment.reason)
                ui.label(' · '.join(who)).classes('text-sm text-grey-8')
                if appointment.status is AppointmentStatus.cancelled:
                    ui.label(_cancelled_text(appointment)).classes('text-sm text-negative')
            testid(ui.badge(_(word), color=color), 'appointment-status')
            ics = ui.link(_('Calendar file'), f'/appointments/{appointment.id}.ics').props('download')
            testid(ics.classes('text-sm'), 'appointment-ics')
            if appointment.clash:  # a kept appointment outside the hours or in blocked time (never on patients' lists)
                testid(ui.badge(clash_words(appointment.clash), color='negative').props('outline'), 'appointment-clash')
            if appointment.status is AppointmentStatus.booked and self.person.role is Role.patient:
                day = appointment.starts_at.astimezone(self.clinic.tz).date()
                target = f'/book?doctor={appointment.doctor_id}&day={day}&move={appointment.id}'
                testid(
                    ui.button(_('Change time'), icon='schedule', on_click=lambda t=target: ui.navigate.to(t)).props(
                        'flat dense no-caps'
                    ),
                    'appointment-move',
                )
            if appointment.status is AppointmentStatus.booked and self.person.role is Role.patient:
                testid(
                    ui.button(_('Earlier time?'), icon='update', on_click=lambda a=appointment: self._watch(a)).props(
                        'flat dense no-caps'
                    ),
                    'earlier-watch',
                )
            if appointment.status is AppointmentStatus.booked:
                testid(
                    ui.button(_('Cancel'), icon='event_busy', on_click=lambda a=appointment: self._cancel(a)).props(
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
                when = span_words(appointment.starts_at, appointment.ends_at, self.clinic.tz)
                who = appointment.cancelled_by
                if self.person.role is Role.patient:
                    message = _(
                        'Your appointment with {doctor} on {when} was cancelled by {who}.',
                        doctor=appointment.doctor_name,
                        when=when,
                        who=who,
                    )
                else:
                    message = _(
                        'The appointment of {patient} on {when} was cancelled by {who}.',
                        patient=appointment.patient_name,
                        when=when,
                        who=who,
                    )
                why = f' {_(appointment.cancel_reason)}' if appointment.cancel_reason else ''  # stored in English
                told = Popup(f'{message}{why}', 'warning', seconds=CANCELLED_SECONDS)
                seen.append(_Seen(cancelled=True, popup=told))
            elif old is None and booked and self.person.role is not Role.patient:
                when = span_words(appointment.starts_at, appointment.ends_at, self.clinic.tz)
                told = Popup(
                    _('New appointment: {when} with {patient}.', when=when, patient=appointment.patient_name), 'info'
                )
                seen.append(_Seen(cancelled=False, popup=told))
        self.updates.tell(*seen)  # at once, or gathered with others in a few seconds

    async def _watch(self, appointment: AppointmentInfo) -> None:
        done = _('If an earlier time with this doctor frees up, it is held for you and you are told at once.')
        ids = {'actor_id': self.person.id, 'appointment_id': appointment.id}
        await call_and_tell(self.card, done, watch_for_earlier, self.clinic, **ids)

    async def _cancel(self, appointment: AppointmentInfo) -> None:
        staff = self.person.role is not Role.patient
        text = _what_cancelling_does(appointment, self.clinic, staff=staff)
        reasons = STAFF_CANCEL_REASONS if staff else ()
        with self.card:  # not the row whose button asked: a live update may rebuild it while the question is open
            answer = await confirm(
                _('Cancel this appointment?'), text, _('Cancel appointment'), back=_('Keep it'), reasons=reasons
            )
            if answer is None:
                return
            done = _('The appointment is cancelled and its time is free again.')
            ids = {'actor_id': self.person.id, 'appointment_id': appointment.id, 'origin': self.client_id}
            await call_and_tell(self.card, done, cancel, self.clinic, reason=answer, **ids)


def _what_cancelling_does(appointment: AppointmentInfo, clinic: Clinic, *, staff: bool) -> str:
    """Which appointment, that its time becomes free for others, and that the patient is told if it is not theirs."""
    when = span_words(appointment.starts_at, appointment.ends_at, clinic.tz)
    if not staff:
        return _(
            'Your appointment with {doctor} on {when} will be cancelled. Its time becomes free for others to book.',
            doctor=appointment.doctor_name,
            when=when,
        )
    return _(
        'The appointment of {patient} with {doctor} on {when} will be cancelled. Its time becomes free for others '
        'to book, and {patient} is told, with the reason you pick.',
        patient=appointment.patient_name,
        doctor=appointment.doctor_name,
        when=when,
    )


def _cancelled_text(appointment: AppointmentInfo) -> str:
    """Who cancelled it, and the reason the patient was given."""
    by = _('Cancelled by {who}.', who=appointment.cancelled_by) if appointment.cancelled_by else _('Cancelled.')
    if appointment.cancel_reason in ('', f'Cancelled by {appointment.cancelled_by}'):  # older rows said only who (data)
        return by
    return f'{by} {_(appointment.cancel_reason)}'  # kept in English, shown in the reader's language


def _summary(seen: list[_Seen]) -> Popup:
    """Several changes in one popup: how many new, how many cancelled."""
    cancelled = sum(s.cancelled for s in seen)
    new = len(seen) - cancelled
    new_words = ngettext('{count} new', '{count} new', new)
    cancelled_words = ngettext('{count} cancelled', '{count} cancelled', cancelled)
    if new and cancelled:
        message = _('Appointments updated: {new} and {cancelled}.', new=new_words, cancelled=cancelled_words)
    else:
        message = _('Appointments updated: {changes}.', changes=new_words if new else cancelled_words)
    return Popup(message, 'warning', seconds=CANCELLED_SECONDS) if cancelled else Popup(message)
