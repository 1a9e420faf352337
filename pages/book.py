"""/book: a patient picks a doctor and a day, sees the free times live, and books one."""

from datetime import datetime, timedelta

from nicegui import ui

from models import Role
from services.appointments import appointment_of
from services.booking import book, reschedule
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInput, SlotTaken
from services.live.boards import LiveBoards, SlotKey
from services.live.shared_views import Update
from services.local_time import DAY_FORMAT, format_day, format_when, parse_day
from services.read_models.values import AppointmentInfo, DaySlots, DoctorCard, FreeSlot, Person
from services.schedule import list_doctors

from .components.calls import call, clear_errors, show_error
from .components.follow import Follower, by_someone_else
from .components.frame import frame
from .components.hooks import testid
from .components.notices import Kind, popup
from .components.slot_grid import SlotGrid
from .session import guarded

SCHEDULE_UPDATED = 'Schedule updated: available time slots have been refreshed.'


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/book')
    @guarded(clinic, boards, Role.patient, title='Book an appointment')
    async def book_page(
        person: Person,
        doctor: int | None = None,
        day: str | None = None,
        move: int | None = None,
    ) -> None:
        """The chosen doctor and day live in the URL, so a reload or a reconnect keeps them (and links work)."""
        with frame('Book an appointment', person, clinic=clinic, boards=boards):
            doctors = await call(list_doctors, clinic)
            moving = await _moving(clinic, person.id, move)
            form = BookingForm(clinic, boards, person.id, doctors, doctor_id=doctor, day=day, moving=moving)
            await form.choice_changed()


async def _moving(clinic: Clinic, patient_id: int, appointment_id: int | None) -> AppointmentInfo | None:
    """The patient's own booked appointment being moved, if the page was opened to move one."""
    if appointment_id is None:
        return None
    try:
        return await call(appointment_of, clinic, actor_id=patient_id, appointment_id=appointment_id)
    except ClinicError:
        return None


class BookingForm:
    """The booking card of one browser: its choices, its slot buttons and its subscription."""

    def __init__(
        self,
        clinic: Clinic,
        boards: LiveBoards,
        patient_id: int,
        doctors: list[DoctorCard],
        *,
        doctor_id: int | None = None,
        day: str | None = None,
        moving: AppointmentInfo | None = None,
    ) -> None:
        self.clinic, self.boards, self.patient_id, self.moving = clinic, boards, patient_id, moving
        self.client_id = ui.context.client.id
        self.doctor_names = {d.id: d.full_name for d in doctors}
        if moving is not None:
            with ui.row().classes('w-full items-center gap-2 bg-amber-50 rounded p-3').mark('moving-banner'):
                ui.icon('schedule', color='warning')
                ui.label(
                    f'Changing the time of your appointment with {moving.doctor_name} on '
                    f'{format_when(moving.starts_at, clinic.tz)}: pick a new time.'
                ).classes('grow')
                ui.link('Keep it as it is', '/appointments')
            doctor_id = moving.doctor_id
        with ui.card().classes('w-full gap-3') as card:
            with ui.row().classes('w-full gap-3 items-start'):
                self.doctor = testid(
                    ui.select(
                        {d.id: f'{d.full_name} · {d.specialty}' for d in doctors},
                        label='Doctor',
                        value=doctor_id if doctor_id in self.doctor_names else (doctors[0].id if doctors else None),
                        on_change=self.choice_changed,
                    )
                    .props('outlined')
                    .classes('grow min-w-[16rem]'),
                    'book-doctor',
                )
                with ui.row().classes('items-start gap-1 no-wrap'):
                    ui.button(icon='chevron_left', on_click=lambda: self._step(-1)).props(
                        'flat round dense aria-label="Previous day"'
                    ).classes('q-mt-sm')
                    self.day = testid(
                        ui.input(
                            'Date',
                            placeholder='YYYY-MM-DD',
                            value=(day or '')[:10] or clinic.today().strftime(DAY_FORMAT),
                            on_change=self.choice_changed,
                        )
                        .props('outlined stack-label maxlength=10')
                        .classes('w-44'),
                        'book-date',
                    )
                    with self.day.add_slot('append'):
                        with ui.icon('event').classes('cursor-pointer') as icon, ui.menu() as menu:
                            ui.date(mask='YYYY-MM-DD', on_change=menu.close).bind_value(self.day)
                        icon.on('click', menu.open)
                    ui.button(icon='chevron_right', on_click=lambda: self._step(1)).props(
                        'flat round dense aria-label="Next day"'
                    ).classes('q-mt-sm')
            self.heading = ui.label().classes('text-lg font-medium').mark('slots-heading')
            self.empty = ui.label().classes('text-grey-8').mark('slots-empty')
            self.grid = SlotGrid(self._picked)
            self.notice = ui.label().classes('text-warning font-medium').mark('booking-notice')
            self.notice.visible = False
            self.reason = testid(
                ui.textarea('Reason for the visit (optional)')
                .props('outlined autogrow maxlength=500')
                .classes('w-full'),
                'book-reason',
            )
            with ui.row().classes('items-center gap-3'):
                self.submit = testid(
                    ui.button(
                        'Move appointment' if moving else 'Book appointment',
                        icon='event_available',
                        on_click=self._book,
                    ),
                    'book-submit',
                )
                self.selection = ui.label('Choose a time above.').classes('text-grey-8').mark('book-selection')
        if moving is not None:  # same doctor, same reason: only the time changes
            self.doctor.disable()
            self.reason.visible = False
        self._gone: datetime | None = None  # the picked time the notice says went away
        self.follower: Follower[SlotKey, DaySlots] = Follower(self._on_update, anchor=card)

    async def choice_changed(self) -> None:
        """Follow the chosen doctor and day (a pick is kept only while they stay the same)."""
        self.day.error = None
        if self.doctor.value is None:
            self.heading.set_text('Choose a doctor to see the free times.')
            return
        if len(self.day.value or '') < 10:
            return  # still typing
        try:
            day = parse_day(self.day.value)
        except InvalidInput as error:
            self.day.error = error.message
            return
        if self.follower.key == (self.doctor.value, day):
            return
        ui.navigate.history.replace(f'/book?doctor={self.doctor.value}&day={day:%Y-%m-%d}')
        slots = await self.follower.follow(self.boards.slots, (self.doctor.value, day))
        if slots is not None:
            self._hide_notice()
            self.grid.clear_pick()
            self._show(slots)

    def _step(self, days: int) -> None:
        try:
            day = parse_day(self.day.value)
        except InvalidInput:
            day = self.clinic.today()
        self.day.value = (day + timedelta(days=days)).strftime(DAY_FORMAT)

    def _show(self, slots: DaySlots) -> None:
        name = self.doctor_names.get(slots.doctor_id, '')
        self.heading.set_text(f'Free times with {name} on {format_day(slots.day)}')
        self.empty.set_text(slots.message)
        self.empty.visible = not slots.slots
        self.grid.show(slots.day, slots.slots)
        self._update_selection()

    def _on_update(self, update: Update[DaySlots]) -> None:
        if self._gone is not None and update.value.find(self._gone) is not None:
            self._hide_notice()  # the time we said was gone is back: the warning no longer holds
        picked = self.grid.picked
        gone = picked is not None and update.value.find(picked.starts_at) is None
        if gone:
            self.grid.clear_pick()
        self._show(update.value)
        foreign = by_someone_else(update, self.client_id) is not None
        if foreign:
            popup(SCHEDULE_UPDATED, 'info')
        if gone and picked is not None and update.event is None:  # time passed: say it here, without a popup
            self._tell(f'{picked.label} is no longer available. Please choose another time.', quiet=True)
            self._gone = picked.starts_at
        elif gone and picked is not None and foreign:
            self._tell(f'{picked.label} is no longer available. Please choose another time.')
            self._gone = picked.starts_at

    def _picked(self, slot: FreeSlot) -> None:
        self._hide_notice()
        self._update_selection()

    def _update_selection(self) -> None:
        picked = self.grid.picked
        self.selection.set_text(f'Selected: {picked.label}' if picked else 'Choose a time above.')
        self.submit.enabled = picked is not None

    async def _book(self) -> None:
        picked = self.grid.picked
        if picked is None or self.doctor.value is None:
            self._tell('Choose a time first.')
            return
        self.submit.enabled = False
        clear_errors({'reason': self.reason})
        try:
            if self.moving is not None:
                info = await call(
                    reschedule,
                    self.clinic,
                    actor_id=self.patient_id,
                    appointment_id=self.moving.id,
                    starts_at=picked.starts_at,
                    origin=self.client_id,
                )
            else:
                info = await call(
                    book,
                    self.clinic,
                    actor_id=self.patient_id,
                    doctor_id=self.doctor.value,
                    starts_at=picked.starts_at,
                    reason=self.reason.value or '',
                    origin=self.client_id,
                )
        except SlotTaken as error:
            self.grid.clear_pick()
            self._tell(error.message)
            await self.boards.slots.refresh([(self.doctor.value, picked.starts_at.astimezone(self.clinic.tz).date())])
        except ClinicError as error:
            self.submit.enabled = True
            show_error(error, {'reason': self.reason}, fallback=self.notice)
            if error.field not in ('reason', None):
                self._tell(error.message)
        else:
            self.grid.clear_pick()
            self.reason.value = ''
            when = format_when(info.starts_at, self.clinic.tz)
            if self.moving is not None:
                popup(f'Moved: {info.doctor_name} on {when}.', 'positive')
                ui.navigate.to('/appointments')
                return
            self._tell(f'Booked: {info.doctor_name}, {when}. See it under My appointments.', kind='positive')
            popup(f'Booked with {info.doctor_name} on {when}.', 'positive')
        self._update_selection()

    def _tell(self, message: str, kind: Kind = 'warning', *, quiet: bool = False) -> None:
        self._gone = None  # a new message replaces what was said about a gone time
        self.notice.set_text(message)
        self.notice.classes(replace=f'text-{kind} font-medium')
        self.notice.visible = True
        if kind == 'warning' and not quiet:
            popup(message, 'warning')

    def _hide_notice(self) -> None:
        self.notice.visible = False
        self._gone = None
