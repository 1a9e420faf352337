"""/book: a patient picks a doctor and a day, sees the free times live, and books one; the front desk does the same
for a patient (`for=`, admins only)."""

from datetime import date
from typing import Annotated

from fastapi import Query
from nicegui import ui

from models import Role
from services.appointments import appointment_of
from services.clinic import Clinic
from services.desk import patient_card
from services.errors import ClinicError
from services.live.boards import CLINIC, LiveBoards, SlotKey
from services.live.shared_views import Update
from services.read_models.doctors import BookableDoctors
from services.read_models.patients import PatientCard
from services.read_models.values import AppointmentInfo, DaySlots, FreeSlot, Person

from .components.booking_action import BookingAction
from .components.booking_notice import BookingNotice
from .components.calls import call
from .components.day_watchers import DayWatchers
from .components.doctor_day_choice import DoctorDayChoice
from .components.follow import Follower, by_someone_else
from .components.frame import frame
from .components.headings import heading
from .components.hooks import testid
from .components.slot_grid import SlotGrid
from .components.visit_choice import VisitChoice
from .components.waitlist_join import WaitlistJoin
from .errors import explain
from .language import N_, _, current_language, day_words, when_words
from .session import guarded


def register(clinic: Clinic, boards: LiveBoards) -> None:
    watchers = DayWatchers(boards)

    @ui.page('/book')
    @guarded(clinic, boards, Role.patient, Role.admin, title=N_('Book an appointment'))
    async def book_page(
        person: Person,
        doctor: int | None = None,
        day: str | None = None,
        move: int | None = None,
        for_: Annotated[int | None, Query(alias='for')] = None,
        kind: Annotated[int | None, Query(alias='type')] = None,
    ) -> None:
        """The chosen doctor and day, the appointment being moved and the patient the desk books for live in the URL,
        so a reload or a reconnect keeps them (and links work). A patient's `for=` is ignored: they book for
        themself."""
        with frame(N_('Book an appointment'), person, clinic=clinic, boards=boards):
            patient = None
            if person.role is Role.admin:
                patient = await _booked_for(clinic, person.id, for_)
                if patient is None:
                    return
            moving = await _moving(clinic, person.id, move)
            if moving is not None and patient is not None and moving.patient_id != patient.id:
                moving = None
            if move is not None and moving is None:
                _move_gone(desk=patient is not None)  # never silently a new booking
                return
            doctor_list: Follower[str, BookableDoctors] = Follower(lambda update: form.doctors_changed(update.value))
            doctors = await doctor_list.follow(boards.doctors, CLINIC)
            if doctors is None:
                return
            form = BookingForm(
                clinic,
                boards,
                watchers,
                person.id,
                doctors,
                doctor_id=doctor,
                day=day,
                type_id=kind,
                moving=moving,
                patient=patient,
            )
            await form.choice_changed()


async def _booked_for(clinic: Clinic, desk_id: int, patient_id: int | None) -> PatientCard | None:
    """The patient the front desk books for, said at the top; None (and why, with the way back) if there is none."""
    if patient_id is None:  # the desk books only for a patient (the route is a patient's own otherwise)
        heading(_('Not allowed'), 2).classes('text-xl font-semibold m-0')
        explain(403)
        ui.label(_('The front desk books for a patient from the front desk.')).mark('booking-for-missing')
        ui.link(_('Front desk'), '/desk')
        return None
    try:
        patient = await call(patient_card, clinic, actor_id=desk_id, patient_id=patient_id)
    except ClinicError as error:
        with ui.row().classes('w-full items-center gap-2 bg-amber-50 rounded p-3').mark('booking-for-missing'):
            ui.icon('person_search', color='warning')
            ui.label(error.message).classes('grow')
            ui.link(_('Front desk'), '/desk')
        return None
    with ui.row().classes('w-full items-center gap-2 bg-blue-50 rounded p-3'):
        ui.icon('support_agent', color='primary')
        testid(ui.label(_('Booking for {name}', name=patient.full_name)).classes('grow font-medium'), 'booking-for')
        ui.link(_('Back to the front desk'), '/desk')
    return patient


async def _moving(clinic: Clinic, patient_id: int, appointment_id: int | None) -> AppointmentInfo | None:
    """The patient's own booked appointment being moved, if the page was opened to move one."""
    if appointment_id is None:
        return None
    try:
        return await call(appointment_of, clinic, actor_id=patient_id, appointment_id=appointment_id)
    except ClinicError:
        return None


class BookingForm:
    """The booking card of one browser: its choices, its slot buttons and its subscription; `patient` is whom the
    front desk books for (None: the signed-in patient themself)."""

    def __init__(
        self,
        clinic: Clinic,
        boards: LiveBoards,
        watchers: DayWatchers,
        patient_id: int,
        doctors: BookableDoctors,
        *,
        doctor_id: int | None = None,
        day: str | None = None,
        type_id: int | None = None,
        moving: AppointmentInfo | None = None,
        patient: PatientCard | None = None,
    ) -> None:
        self.boards, self.watchers, self.moving, self.patient = boards, watchers, moving, patient
        self.client_id = ui.context.client.id
        self.doctor_names = {d.id: d.full_name for d in doctors.doctors}
        self._wanted: SlotKey | None = None  # the doctor and day last chosen
        self._watching: SlotKey | None = None  # the day whose changes this page's grid hears
        if moving is not None:
            _moving_banner(moving, clinic, desk=patient is not None)
            doctor_id = moving.doctor_id
        with ui.card().classes('w-full gap-3') as card:
            self.choice = DoctorDayChoice(clinic, doctors, doctor_id=doctor_id, day=day, on_change=self.choice_changed)
            self.visit = VisitChoice(wanted=type_id, staff=patient is not None, on_change=self._kind_changed)
            self.heading = ui.label().classes('text-lg font-medium').mark('slots-heading')
            self.empty = ui.label().classes('text-grey-8').mark('slots-empty')
            self.grid = SlotGrid(self._picked, self._heard)
            self.notice = BookingNotice()
            self.action = BookingAction(
                clinic,
                boards,
                patient_id,
                choice=self.choice,
                grid=self.grid,
                notice=self.notice,
                moving=moving,
                patient=patient,
            )
            if moving is None:
                WaitlistJoin(
                    clinic,
                    patient_id,
                    chosen=self.choice.chosen,
                    kind=lambda: self.visit.select.value,
                    patient_id=patient.id if patient is not None else None,
                )
        if moving is not None:  # same doctor and kind of visit: only the time changes
            self.choice.doctor.disable()
            self.visit.keep_only(moving.type_id)
        self.follower: Follower[SlotKey, DaySlots] = Follower(None, anchor=card)  # the grid hears of changes
        ui.context.client.on_delete(self._leave)

    async def choice_changed(self) -> None:
        """Follow the chosen doctor and day (a pick is kept only while they stay the same); offer nothing without."""
        key = self._wanted = self.choice.chosen()
        if key is None:
            self._leave()
            self.follower.stop()
            self._offer_nothing()
            return
        if key == self.follower.key:
            return
        doctor_id, day = key
        ui.navigate.history.replace(self._address(doctor_id, day))
        slots = await self.follower.follow(self.boards.slots, key)
        if self._wanted != key:  # the choice changed while this day was being loaded
            if self._wanted is None:
                self.follower.stop()
            return
        if slots is not None:
            self._leave()
            self.watchers.enter(key, self.client_id, self.grid)
            self._watching = key
            self.notice.hide()
            self._show(slots)

    def doctors_changed(self, doctors: BookableDoctors) -> None:
        """A doctor was added (or hours changed): offer the new list, keeping the patient's pick."""
        self.doctor_names.update({d.id: d.full_name for d in doctors.doctors})
        self.choice.set_doctors(doctors)

    def _address(self, doctor_id: int, day: date) -> str:
        move = f'&move={self.moving.id}' if self.moving is not None else ''
        for_ = f'&for={self.patient.id}' if self.patient is not None else ''
        chosen = self.visit.select.value if self.moving is None else None  # a move keeps its kind
        kind = f'&type={chosen}' if chosen is not None else ''
        return f'/book?doctor={doctor_id}&day={day:%Y-%m-%d}{kind}{move}{for_}'

    def _kind_changed(self) -> None:
        """The person chose another kind of visit: its free times on the same day (no new computation)."""
        view = self.follower.view
        self.notice.hide()
        self.grid.show_kind(self.visit.select.value)
        if view is not None and view.value is not None:
            self._say_why_empty(view.value)
            ui.navigate.history.replace(self._address(view.value.doctor_id, view.value.day))
        self.action.show_selection()

    def _offer_kinds(self, slots: DaySlots) -> None:
        """Offer the doctor's kinds of visit; a chosen kind no longer offered gives way to the first, said so."""
        lost = self.visit.offer(slots)
        if lost is not None:
            now = self.visit.kind
            if now is None:
                self.notice.tell(_('{kind} is no longer offered by this doctor.', kind=lost.name))
            else:
                self.notice.tell(
                    _(
                        '{kind} is no longer offered by this doctor. Showing {other} instead.',
                        kind=lost.name,
                        other=now.name,
                    )
                )

    def _offer_nothing(self) -> None:
        """No doctor, or no real day: no times, nothing to book, and the date field says what is wrong."""
        none_chosen = self.choice.doctor.value is None
        self.heading.set_text(
            _('Choose a doctor to see the free times.') if none_chosen else _('Choose a day to see the free times.')
        )
        self.empty.visible = False
        self.notice.hide()
        self.grid.empty()
        self.action.show_selection()

    def _show(self, slots: DaySlots) -> None:
        name = self.doctor_names.get(slots.doctor_id, '')
        self.heading.set_text(_('Free times with {name} on {day}', name=name, day=day_words(slots.day)))
        if not self.choice.bookable(slots.day):  # said next to the date; checked again as days pass
            self.heading.set_text(_('Nothing to book on {day}', day=day_words(slots.day)))
            self.empty.visible = False
            self.grid.empty()
            self.action.show_selection()
            return
        self._offer_kinds(slots)
        if self.moving is not None and self.visit.kind is None:  # its kind of visit is no longer offered
            self.heading.set_text(_('{kind} is no longer offered', kind=self.moving.type_name))
            self.empty.set_text(_('This appointment cannot be moved to another time. Cancel it and book a new one.'))
            self.empty.visible = True
            self.grid.empty()
            self.action.show_selection()
            return
        self._say_why_empty(slots)
        view = self.follower.view
        assert view is not None
        self.grid.show(view, self.visit.select.value)
        self.action.show_selection()

    def _say_why_empty(self, slots: DaySlots) -> None:
        """Why there is no free time, when there is none (sent only when that changes)."""
        message = slots.why_empty(self.visit.select.value, current_language())
        if self.empty.text != message:
            self.empty.set_text(message)
        if self.empty.visible != bool(message):
            self.empty.visible = bool(message)

    def _leave(self) -> None:
        """Stop showing the day followed so far (a new choice, or the browser left)."""
        if self._watching is not None:
            self.watchers.leave(self._watching, self.client_id)
            self._watching = None

    def _heard(self, update: Update[DaySlots], gone: FreeSlot | None) -> None:
        """The browser got a new list for its day (the grid drew it): only what else it changes here is sent."""
        self._offer_kinds(update.value)
        if self.moving is not None and self.visit.kind is None:  # the moved appointment's kind was removed meanwhile
            self._show(update.value)
            return
        kind_changed = self.visit.select.value != self.grid.kind
        if kind_changed:  # the chosen kind of visit is no longer offered (the person was told), or kinds came back
            self.grid.show_kind(self.visit.select.value)
            gone = None
        if self.notice.gone is not None and update.value.find(self.notice.gone, self.grid.kind) is not None:
            self.notice.hide()  # the time we said was gone is back: the warning no longer holds
        self._say_why_empty(update.value)
        if update.event is None and not self.choice.bookable(update.value.day):  # the day has passed meanwhile
            self._show(update.value)
        if gone is None:
            if kind_changed:
                self.action.show_selection()
            return
        self.action.show_selection()
        if self.action.busy:  # this tab is booking it right now: the booking's own outcome says it was taken
            return
        if update.event is None or by_someone_else(update, self.client_id) is not None:  # not this tab's own doing
            message = _('{time} is no longer available. Please choose another time.', time=gone.label)
            self.notice.tell(message, quiet=update.event is None, gone=gone.starts_at)

    def _picked(self, slot: FreeSlot) -> None:
        self.notice.hide()
        self.action.show_selection()


def _move_gone(*, desk: bool) -> None:
    with ui.row().classes('w-full items-center gap-2 bg-amber-50 rounded p-3').mark('move-gone'):
        ui.icon('event_busy', color='warning')
        ui.label(
            _(
                'This appointment can no longer be moved: it was cancelled or has already started. '
                'Nothing has been booked.'
            )
        ).classes('grow')
        if desk:
            ui.link(_('Front desk'), '/desk')
            return
        ui.link(_('My appointments'), '/appointments')
        ui.link(_('Book a new appointment'), '/book')


def _moving_banner(moving: AppointmentInfo, clinic: Clinic, *, desk: bool) -> None:
    with ui.row().classes('w-full items-center gap-2 bg-amber-50 rounded p-3').mark('moving-banner'):
        ui.icon('schedule', color='warning')
        when = when_words(moving.starts_at, clinic.tz)
        if desk:
            text = _(
                "Changing the time of {patient}'s appointment with {doctor} on {when}: pick a new time.",
                patient=moving.patient_name,
                doctor=moving.doctor_name,
                when=when,
            )
        else:
            text = _(
                'Changing the time of your appointment with {doctor} on {when}: pick a new time.',
                doctor=moving.doctor_name,
                when=when,
            )
        ui.label(text).classes('grow')
        ui.link(_('Keep it as it is'), '/desk' if desk else '/appointments')
