"""The schedule editor shared by a doctor's /schedule and the admin's view of any doctor."""

from nicegui import ui

from services.appointments import mark_no_show
from services.availability import (
    InTheWay,
    classify_reason,
    mark_unavailable,
    remove_unavailability,
    update_unavailability,
)
from services.clinic import Clinic
from services.errors import AppointmentsInTheWay, ClinicError
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.local_time import format_moment, format_span, parse_moment
from services.read_models.values import AppointmentInfo, DoctorSchedule, Period, Person
from services.schedule import doctor_schedule

from .calls import call, clear_errors, show_error
from .conflict_dialog import ask_about_appointments
from .follow import Follower, by_someone_else
from .hooks import testid
from .notices import Kind, popup
from .theme import LIST_ROW
from .working_hours import WorkingHoursCard

REASON_SUGGESTIONS = ['Vacation', 'Conference', 'Sick leave', 'Personal', 'Training']


async def schedule_editor(clinic: Clinic, boards: LiveBoards, actor: Person, doctor_id: int) -> None:
    """Build the editor and follow the doctor's schedule live."""
    await call(doctor_schedule, clinic, actor_id=actor.id, doctor_id=doctor_id)  # refuses anyone else
    editor = ScheduleEditor(clinic, actor, doctor_id)
    value = await editor.follower.follow(boards.schedules, doctor_id)
    if value is not None:
        editor.show(value)


class ScheduleEditor:
    def __init__(self, clinic: Clinic, actor: Person, doctor_id: int) -> None:
        self.clinic, self.actor, self.doctor_id = clinic, actor, doctor_id
        self.tz = clinic.tz
        self.client_id = ui.context.client.id
        self.editing: Period | None = None
        self.periods: dict[int, Period] = {}
        with ui.card().classes('w-full gap-3') as card:
            self.card = card
            self.form_title = ui.label('Mark time unavailable').classes('text-lg font-medium')
            with ui.row().classes('w-full gap-3 items-start'):
                self.start = testid(
                    ui.input('From', placeholder='YYYY-MM-DD HH:MM')
                    .props('outlined stack-label maxlength=16')
                    .classes('w-52'),
                    'unavailability-start',
                )
                self.end = testid(
                    ui.input('Until', placeholder='YYYY-MM-DD HH:MM')
                    .props('outlined stack-label maxlength=16')
                    .classes('w-52'),
                    'unavailability-end',
                )
                self.reason = testid(
                    ui.input('Reason', autocomplete=REASON_SUGGESTIONS)
                    .props('outlined maxlength=500')
                    .classes('grow min-w-[12rem]'),
                    'unavailability-reason',
                )
            self.fields = {'start': self.start, 'end': self.end, 'note': self.reason}
            self.message = ui.label().classes('text-negative').mark('unavailability-message')
            self.message.visible = False
            with ui.row().classes('gap-2'):
                self.submit = testid(
                    ui.button('Mark unavailable', icon='event_busy', on_click=self._save), 'unavailability-submit'
                )
                self.stop_editing = ui.button('Stop editing', on_click=self._reset_form).props('flat')
                self.stop_editing.visible = False
        with ui.card().classes('w-full gap-2'):
            ui.label('Unavailable periods').classes('text-lg font-medium')
            self.period_list = ui.column().classes('w-full gap-1').mark('unavailability-list')
        with ui.card().classes('w-full gap-2'):
            ui.label('Upcoming appointments').classes('text-lg font-medium')
            self.appointment_list = ui.column().classes('w-full gap-1').mark('schedule-appointments')
        with ui.card().classes('w-full gap-2'):
            ui.label('Today and the past week').classes('text-lg font-medium')
            self.recent_list = ui.column().classes('w-full gap-1').mark('recent-appointments')
        self.hours = WorkingHoursCard(clinic, actor, doctor_id)
        self.follower: Follower[int, DoctorSchedule] = Follower(self._on_update, anchor=card)

    def show(self, schedule: DoctorSchedule) -> None:
        self.periods = {p.id: p for p in schedule.periods}
        self.period_list.clear()
        with self.period_list:
            if not schedule.periods:
                ui.label('No unavailability planned.').classes('text-grey-8')
            for period in schedule.periods:
                self._period_row(period)
        self.appointment_list.clear()
        with self.appointment_list:
            booked = [a for a in schedule.appointments if a.status.value == 'booked']
            if not booked:
                ui.label('No upcoming appointments.').classes('text-grey-8')
            for appointment in booked:
                with testid(ui.row(), 'schedule-appointment').classes('w-full items-center gap-2'):
                    ui.icon('event', color='primary')
                    ui.label(
                        f'{format_span(appointment.starts_at, appointment.ends_at, self.tz)} · '
                        f'{appointment.patient_name}' + (f' · {appointment.reason}' if appointment.reason else '')
                    )
        self.recent_list.clear()
        with self.recent_list:
            if not schedule.recent:
                ui.label('No appointments have started in the past week.').classes('text-grey-8')
            for appointment in schedule.recent:
                self._recent_row(appointment)
        self.hours.show(schedule)
        if self.editing is not None and self.editing.id not in self.periods:
            self._reset_form()
            self._say('The period you were editing was removed.')

    def _period_row(self, period: Period) -> None:
        with testid(ui.row(), 'unavailability-row').classes(f'{LIST_ROW} no-wrap'):
            ui.icon('event_busy', color='negative')
            with ui.column().classes('grow gap-0'):
                ui.label(format_span(period.starts_at, period.ends_at, self.tz)).classes('font-medium')
                ui.label(f'{period.note or period.reason.value.title()} · by {period.changed_by}').classes(
                    'text-sm text-grey-8'
                )
            testid(
                ui.button(icon='edit', on_click=lambda p=period: self._edit(p)).props(
                    'flat round dense aria-label="Edit period"'
                ),
                'unavailability-edit',
            )
            testid(
                ui.button(icon='delete', on_click=lambda p=period: self._remove(p)).props(
                    'flat round dense color=negative aria-label="Remove period"'
                ),
                'unavailability-remove',
            )

    def _recent_row(self, appointment: AppointmentInfo) -> None:
        with testid(ui.row(), 'recent-appointment').classes(f'{LIST_ROW} no-wrap'):
            ui.label(
                f'{format_span(appointment.starts_at, appointment.ends_at, self.tz)} · {appointment.patient_name}'
            ).classes('grow')
            status = {'booked': 'In progress', 'completed': 'Completed', 'no_show': 'No-show'}[appointment.status.value]
            ui.badge(status, color='warning' if appointment.status.value == 'no_show' else 'grey-7')
            if appointment.status.value in ('booked', 'completed'):
                testid(
                    ui.button('Mark no-show', on_click=lambda a=appointment: self._no_show(a)).props(
                        'flat dense no-caps color=warning'
                    ),
                    'appointment-no-show',
                )

    async def _no_show(self, appointment: AppointmentInfo) -> None:
        kind: Kind
        try:
            await call(
                mark_no_show, self.clinic, actor_id=self.actor.id, appointment_id=appointment.id, origin=self.client_id
            )
        except ClinicError as error:
            message, kind = error.message, 'warning'
        else:
            message, kind = f'Marked {appointment.patient_name} as a no-show.', 'positive'
        with self.card:
            popup(message, kind)

    def _on_update(self, update: Update[DoctorSchedule]) -> None:
        self.show(update.value)
        event = by_someone_else(update, self.client_id)
        if event is not None:
            what = event.description.removeprefix(event.actor_name).strip()
            popup(f'Schedule changed by {event.actor_name}: {what}.', 'info')

    def _edit(self, period: Period) -> None:
        self.editing = period
        self.start.value = format_moment(period.starts_at, self.tz)
        self.end.value = format_moment(period.ends_at, self.tz)
        self.reason.value = period.note or period.reason.value.title()
        self.form_title.set_text('Edit unavailable period')
        self.submit.set_text('Save changes')
        self.stop_editing.visible = True
        clear_errors(self.fields, fallback=self.message)

    def _reset_form(self) -> None:
        self.editing = None
        self.start.value = self.end.value = self.reason.value = ''
        self.form_title.set_text('Mark time unavailable')
        self.submit.set_text('Mark unavailable')
        self.stop_editing.visible = False
        clear_errors(self.fields, fallback=self.message)

    async def _save(self, in_the_way: InTheWay | None = None) -> None:
        clear_errors(self.fields, fallback=self.message)
        try:
            starts_at = parse_moment(self.start.value, self.tz, field='start')
            ends_at = parse_moment(self.end.value, self.tz, field='end')
            text = (self.reason.value or '').strip()
            common = dict(
                actor_id=self.actor.id,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=classify_reason(text),
                note=text,
                in_the_way=in_the_way,
                origin=self.client_id,
            )
            self.submit.enabled = False
            if self.editing is None:
                await call(mark_unavailable, self.clinic, doctor_id=self.doctor_id, **common)
            else:
                await call(update_unavailability, self.clinic, period_id=self.editing.id, **common)
        except AppointmentsInTheWay as conflict:
            self.submit.enabled = True
            choice = await ask_about_appointments(conflict.appointments, self.tz)
            if choice is not None:
                await self._save(choice)
            return
        except ClinicError as error:
            show_error(error, self.fields, fallback=self.message)
            return
        finally:
            self.submit.enabled = True
        done = 'Period saved' if self.editing else 'Time marked unavailable'
        if in_the_way is InTheWay.cancel:
            done += '; the patients were told their appointments are cancelled'
        popup(f'{done}.', 'positive')
        self._reset_form()

    async def _remove(self, period: Period) -> None:
        kind: Kind
        try:
            await call(
                remove_unavailability, self.clinic, actor_id=self.actor.id, period_id=period.id, origin=self.client_id
            )
        except ClinicError as error:
            message, kind = error.message, 'warning'
        else:
            message, kind = f'Removed {format_span(period.starts_at, period.ends_at, self.tz)}.', 'positive'
        with self.card:  # the live update may already have deleted the row whose button started this
            if self.editing is not None and self.editing.id == period.id and kind == 'positive':
                self._reset_form()
            popup(message, kind)

    def _say(self, message: str) -> None:
        self.message.set_text(message)
        self.message.visible = True
