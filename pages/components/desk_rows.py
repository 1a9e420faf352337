"""The front desk's patient rows: who they are, what is booked, and what the desk can do for them."""

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from services.booking import AlreadyBookedThatDay, book_walk_in, cancel
from services.cancel_reasons import STAFF_CANCEL_REASONS
from services.clinic import Clinic
from services.errors import ClinicError
from services.password_resets import desk_reset_link
from services.read_models.doctors import BookableDoctors
from services.read_models.patients import PatientCard
from services.read_models.values import AppointmentInfo, Person

from ..language import _, span_words, when_words
from .calls import call, call_and_tell
from .confirm import confirm
from .hooks import testid
from .notices import popup
from .theme import LIST_ROW


class PatientRows:
    def __init__(
        self,
        clinic: Clinic,
        person: Person,
        *,
        anchor: ui.element,
        doctors: Callable[[], Awaitable[BookableDoctors]],
        after: Callable[[], Awaitable[Any]],
    ) -> None:
        self.clinic, self.person, self.anchor, self.doctors, self.after = clinic, person, anchor, doctors, after
        self.column = ui.column().classes('w-full gap-0').mark('desk-rows')

    def show(self, patients: list[PatientCard]) -> None:
        self.column.clear()
        with self.column:
            for patient in patients:
                self._row(patient)

    def _row(self, patient: PatientCard) -> None:
        with testid(ui.column(), 'desk-patient-row').classes(f'{LIST_ROW} items-stretch gap-1'):
            with ui.row().classes('w-full items-center gap-3'):
                with ui.column().classes('grow gap-0 min-w-0'):
                    with ui.row().classes('items-center gap-2'):
                        ui.label(patient.full_name).classes('font-medium')
                        if not patient.claimed:
                            ui.badge(_('No password yet'), color='grey').props('outline')
                    contact = [patient.email or _('no email'), patient.phone or _('no phone')]
                    ui.label(' · '.join(contact)).classes('text-sm text-grey-8 break-all')
                    testid(ui.label(self._next(patient)).classes('text-sm'), 'desk-next')
                with ui.row().classes('items-center gap-1'):
                    testid(
                        ui.button(_('Book'), icon='event_available', on_click=lambda: ui.navigate.to(_book(patient))),
                        'desk-book',
                    ).props('dense no-caps')
                    testid(
                        ui.button(_('Walk-in'), icon='directions_walk', on_click=lambda: self._walk_in(patient)),
                        'desk-walk-in',
                    ).props('dense no-caps outline')
                    testid(
                        ui.button(_('Password link'), icon='key', on_click=lambda: self._claim_link(patient)),
                        'desk-claim-link',
                    ).props('dense no-caps flat')
            if patient.upcoming:
                with ui.expansion(_('Upcoming appointments ({count})', count=len(patient.upcoming))).classes(
                    'w-full text-sm'
                ):
                    for appointment in patient.upcoming:
                        self._appointment(patient, appointment)

    def _next(self, patient: PatientCard) -> str:
        first = patient.next_appointment
        if first is None:
            return _('No upcoming appointment.')
        return _(
            'Next: {when} with {doctor}', when=when_words(first.starts_at, self.clinic.tz), doctor=first.doctor_name
        )

    def _appointment(self, patient: PatientCard, appointment: AppointmentInfo) -> None:
        with testid(ui.row(), 'desk-appointment').classes('w-full items-center gap-2 no-wrap'):
            when = span_words(appointment.starts_at, appointment.ends_at, self.clinic.tz)
            ui.label(f'{when} · {appointment.doctor_name}').classes('grow')
            day = appointment.starts_at.astimezone(self.clinic.tz).date()
            target = f'/book?for={patient.id}&doctor={appointment.doctor_id}&day={day}&move={appointment.id}'
            testid(
                ui.button(_('Change time'), icon='schedule', on_click=lambda: ui.navigate.to(target)),
                'desk-move',
            ).props('flat dense no-caps')
            testid(
                ui.button(_('Cancel'), icon='event_busy', on_click=lambda: self._cancel(appointment)),
                'desk-cancel',
            ).props('flat dense no-caps color=negative')

    async def _cancel(self, appointment: AppointmentInfo) -> None:
        text = _(
            'The appointment of {patient} with {doctor} on {when} will be cancelled. Its time becomes free for others '
            'to book, and {patient} is told, with the reason you pick.',
            patient=appointment.patient_name,
            doctor=appointment.doctor_name,
            when=span_words(appointment.starts_at, appointment.ends_at, self.clinic.tz),
        )
        with self.anchor:
            answer = await confirm(
                _('Cancel this appointment?'),
                text,
                _('Cancel appointment'),
                back=_('Keep it'),
                reasons=STAFF_CANCEL_REASONS,
            )
            if answer is None:
                return
            done = _('The appointment is cancelled and its time is free again.')
            ids = {'actor_id': self.person.id, 'appointment_id': appointment.id}
            if await call_and_tell(self.anchor, done, cancel, self.clinic, reason=answer, **ids):
                await self.after()

    async def _walk_in(self, patient: PatientCard) -> None:
        """Ask which doctor, then book the doctor's next free time today."""
        doctors = {d.id: f'{d.full_name} · {d.specialty}' for d in (await self.doctors()).doctors}
        with self.anchor, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3'):
            dialog.props['aria-label'] = _('Walk-in')  # set, not parsed: a translation may hold any character
            ui.label(_('Walk-in: {name}', name=patient.full_name)).classes('text-lg font-bold')
            ui.label(_("Books the doctor's next free time today.")).classes('text-grey-9')
            doctor = testid(
                ui.select(doctors, label=_('Doctor'), value=next(iter(doctors), None)).props('outlined'),
                'desk-walk-in-doctor',
            ).classes('w-full')
            message = ui.label().classes('text-negative').mark('desk-walk-in-message')
            message.visible = False
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button(_('Go back'), on_click=dialog.close).props('flat')
                submit = testid(ui.button(_('Book next free time'), icon='directions_walk'), 'desk-walk-in-submit')

        async def book_it() -> None:
            if doctor.value is None:
                return
            submit.disable()
            try:
                info = await self._book_walk_in(patient, doctor.value)
            except ClinicError as error:
                message.set_text(error.message)
                message.visible = True
                submit.enable()
                return
            if info is None:
                submit.enable()
                return
            dialog.close()
            with self.anchor:
                done = _(
                    'Walk-in booked: {patient} with {doctor}, {when}.',
                    patient=patient.full_name,
                    doctor=info.doctor_name,
                    when=when_words(info.starts_at, self.clinic.tz),
                )
                popup(done, 'positive')
            await self.after()

        submit.on_click(book_it)
        dialog.open()
        await dialog  # closed: gone, so a next walk-in asks afresh
        dialog.delete()

    async def _book_walk_in(self, patient: PatientCard, doctor_id: int) -> AppointmentInfo | None:
        ids = {'actor_id': self.person.id, 'patient_id': patient.id, 'doctor_id': doctor_id}
        try:
            return await call(book_walk_in, self.clinic, **ids)
        except AlreadyBookedThatDay as asked:
            first = asked.existing.starts_at.astimezone(self.clinic.tz)
            accepted = await confirm(
                _('Book a second appointment today?'),
                _(
                    '{patient} already has an appointment with {doctor} today at {time}. Book the next free time as '
                    'well?',
                    patient=patient.full_name,
                    doctor=asked.existing.doctor_name,
                    time=f'{first:%H:%M}',
                ),
                _('Book it as well'),
                danger=False,
                back=_('No, go back'),
            )
            if accepted is None:
                return None
            return await call(book_walk_in, self.clinic, second_that_day=True, **ids)

    async def _claim_link(self, patient: PatientCard) -> None:
        """A single-use link to set a password, to hand to the patient at the desk (or read out to a caller)."""
        try:
            link = await call(desk_reset_link, self.clinic, actor_id=self.person.id, user_id=patient.id)
        except ClinicError as error:
            with self.anchor:
                popup(error.message, 'warning')
            return
        with self.anchor, ui.dialog() as dialog, ui.card().classes('w-full max-w-lg gap-3'):
            dialog.props['aria-label'] = _('Password link')
            ui.label(_('Password link for {name}', name=patient.full_name)).classes('text-lg font-bold')
            ui.label(
                _(
                    'Give this link to the patient: it sets their password once, within an hour, and keeps their '
                    'appointments.'
                )
            ).classes('text-grey-9')
            testid(ui.label(link).classes('font-mono text-sm break-all select-all'), 'desk-claim-link-value')
            with ui.row().classes('w-full justify-end'):
                ui.button(_('Close'), on_click=dialog.close).props('flat')
        dialog.open()
        await dialog
        dialog.delete()


def _book(patient: PatientCard) -> str:
    return f'/book?for={patient.id}'
