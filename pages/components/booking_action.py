"""The reason for the visit and the button that books the picked time (or moves an appointment to it)."""

from datetime import datetime

from nicegui import ui

from services.booking import AlreadyBookedThatDay, book, reschedule
from services.clinic import Clinic
from services.errors import ClinicError, SlotTaken
from services.live.boards import LiveBoards
from services.read_models.patients import PatientCard
from services.read_models.values import AppointmentInfo

from ..language import _, day_words, when_words
from .booking_notice import BookingNotice
from .calls import call, clear_errors, show_error
from .confirm import confirm
from .doctor_day_choice import DoctorDayChoice
from .hooks import testid
from .notices import popup
from .slot_grid import SlotGrid


class BookingAction:
    def __init__(
        self,
        clinic: Clinic,
        boards: LiveBoards,
        patient_id: int,
        *,
        choice: DoctorDayChoice,
        grid: SlotGrid,
        notice: BookingNotice,
        moving: AppointmentInfo | None,
        patient: PatientCard | None = None,
    ) -> None:
        """`patient_id` is the signed-in person's; `patient` is whom the front desk books for (None: themself)."""
        self.clinic, self.boards, self.patient_id, self.moving = clinic, boards, patient_id, moving
        self.patient = patient
        self.choice, self.grid, self.notice = choice, grid, notice
        self.client_id = ui.context.client.id
        self.busy = False  # a booking or move of this page is with the server: its outcome will say what happened
        self.reason = testid(
            ui.textarea(_('Reason for the visit (optional)'))
            .props('outlined autogrow maxlength=500')
            .classes('w-full'),
            'book-reason',
        )
        self.reason.visible = moving is None  # a move keeps the reason: only the time changes
        with ui.row().classes('items-center gap-3'):
            self.submit = testid(
                ui.button(
                    _('Move appointment') if moving else _('Book appointment'),
                    icon='event_available',
                    on_click=self._book,
                ),
                'book-submit',
            )
            self.submit.disable()  # until a time is picked
            self.selection = ui.label(_('Choose a time above.')).classes('text-grey-8').mark('book-selection')

    def show_selection(self) -> None:
        picked = self.grid.picked
        self.selection.set_text(_('Selected: {time}', time=picked.label) if picked else _('Choose a time above.'))
        self.submit.enabled = picked is not None

    async def _book(self) -> None:
        picked, chosen = self.grid.picked, self.choice.chosen()
        if picked is None or chosen is None or chosen[1] != picked.starts_at.astimezone(self.clinic.tz).date():
            self.notice.tell(_('Choose a time first.'))  # never a time of a day no longer shown
            return
        doctor_id = chosen[0]
        self.submit.enabled = False
        clear_errors({'reason': self.reason})
        try:
            info = await self._book_asking_first(doctor_id, picked.starts_at, picked.label)
        except SlotTaken as error:
            self.grid.clear_pick()
            self.notice.tell(error.message)
            await self.boards.slots.refresh([(doctor_id, picked.starts_at.astimezone(self.clinic.tz).date())])
        except ClinicError as error:
            self.submit.enabled = True
            show_error(error, {'reason': self.reason}, fallback=self.notice.label)
            if error.field not in ('reason', None):
                self.notice.tell(error.message, quiet=True)  # said right under the times: no popup saying it again
        else:
            if info is None:  # the patient did not mean a second appointment that day
                self.show_selection()
                return
            self.grid.clear_pick()
            self.reason.value = ''
            when = when_words(info.starts_at, self.clinic.tz)
            if self.moving is not None:
                popup(_('Moved: {doctor} on {when}.', doctor=info.doctor_name, when=when), 'positive')
                ui.navigate.to('/appointments' if self.patient is None else '/desk')
                return
            if self.patient is not None:
                told = _(
                    'Booked for {patient}: {doctor}, {when}. They are told in their inbox. '
                    'Back to the front desk with the link above.',
                    patient=info.patient_name,
                    doctor=info.doctor_name,
                    when=when,
                )
                self.notice.tell(told, kind='positive')
                popup(
                    _(
                        'Booked for {patient} with {doctor} on {when}.',
                        patient=info.patient_name,
                        doctor=info.doctor_name,
                        when=when,
                    ),
                    'positive',
                )
                self.show_selection()
                return
            self.notice.tell(
                _('Booked: {doctor}, {when}. See it under My appointments.', doctor=info.doctor_name, when=when),
                kind='positive',
            )
            popup(_('Booked with {doctor} on {when}.', doctor=info.doctor_name, when=when), 'positive')
        self.show_selection()

    async def _book_asking_first(self, doctor_id: int, starts_at: datetime, label: str) -> AppointmentInfo | None:
        """Book or move; a second appointment with the doctor that day only if the patient says so (else None)."""
        try:
            return await self._book_or_move(doctor_id, starts_at)
        except AlreadyBookedThatDay as asked:
            if await self._second_meant(asked, label):
                return await self._book_or_move(doctor_id, starts_at, second_that_day=True)
            return None

    async def _second_meant(self, asked: AlreadyBookedThatDay, label: str) -> bool:
        first = asked.existing.starts_at.astimezone(self.clinic.tz)
        facts = {'doctor': asked.existing.doctor_name, 'day': day_words(first.date()), 'time': f'{first:%H:%M}'}
        if self.patient is None:
            text = _(
                'You already have an appointment with {doctor} on {day} at {time}. Book another one at {slot} as well?',
                slot=label,
                **facts,
            )
        else:
            text = _(
                '{patient} already has an appointment with {doctor} on {day} at {time}. '
                'Book another one at {slot} as well?',
                patient=self.patient.full_name,
                slot=label,
                **facts,
            )
        accepted = await confirm(
            _('Book a second appointment that day?'),
            text,
            _('Book {time} as well', time=label),
            danger=False,
            back=_('No, go back'),
        )
        return accepted is not None

    async def _book_or_move(
        self, doctor_id: int, starts_at: datetime, *, second_that_day: bool = False
    ) -> AppointmentInfo:
        self.busy = True
        try:
            return await self._ask_server(doctor_id, starts_at, second_that_day=second_that_day)
        finally:
            self.busy = False

    async def _ask_server(self, doctor_id: int, starts_at: datetime, *, second_that_day: bool) -> AppointmentInfo:
        if self.moving is not None:
            return await call(
                reschedule,
                self.clinic,
                actor_id=self.patient_id,
                appointment_id=self.moving.id,
                starts_at=starts_at,
                origin=self.client_id,
            )
        return await call(
            book,
            self.clinic,
            actor_id=self.patient_id,
            doctor_id=doctor_id,
            starts_at=starts_at,
            reason=self.reason.value or '',
            second_that_day=second_that_day,
            origin=self.client_id,
            patient_id=self.patient.id if self.patient is not None else None,
            type_id=self.grid.kind,
        )
