"""A doctor's upcoming appointments, and those of the past week with a button to mark a no-show."""

from nicegui import ui

from services.appointments import mark_no_show
from services.clinic import Clinic
from services.read_models.appointments import CLASH_SEPARATOR
from services.read_models.values import AppointmentInfo, DoctorSchedule, Person

from ..language import N_, _, span_words
from .calls import call_and_tell
from .confirm import confirm
from .hooks import testid
from .theme import LIST_ROW

RECENT_STATUS = {'booked': N_('In progress'), 'completed': N_('Completed'), 'no_show': N_('No-show')}


class DoctorAppointments:
    def __init__(self, clinic: Clinic, actor: Person) -> None:
        self.clinic, self.actor = clinic, actor
        self.tz = clinic.tz
        self.client_id = ui.context.client.id
        with ui.card().classes('w-full gap-2'):
            ui.label(_('Upcoming appointments')).classes('text-lg font-medium')
            self.upcoming = ui.column().classes('w-full gap-1').mark('schedule-appointments')
        with ui.card().classes('w-full gap-2') as card:
            self.card = card
            ui.label(_('Today and the past week')).classes('text-lg font-medium')
            self.recent = ui.column().classes('w-full gap-1').mark('recent-appointments')

    def show(self, schedule: DoctorSchedule) -> None:
        self.upcoming.clear()
        with self.upcoming:
            booked = [a for a in schedule.appointments if a.status.value == 'booked']
            if not booked:
                ui.label(_('No upcoming appointments.')).classes('text-grey-8')
            for appointment in booked:
                with testid(ui.row(), 'schedule-appointment').classes('w-full items-center gap-2'):
                    ui.icon('event', color='primary')
                    ui.label(
                        f'{span_words(appointment.starts_at, appointment.ends_at, self.tz)} · '
                        f'{appointment.patient_name}' + (f' · {appointment.reason}' if appointment.reason else '')
                    )
                    if appointment.clash:
                        clash_badge(appointment.clash)
        self.recent.clear()
        with self.recent:
            if not schedule.recent:
                ui.label(_('No appointments have started in the past week.')).classes('text-grey-8')
            for appointment in schedule.recent:
                self._recent_row(appointment)

    def _recent_row(self, appointment: AppointmentInfo) -> None:
        with testid(ui.row(), 'recent-appointment').classes(f'{LIST_ROW} no-wrap'):
            ui.label(
                f'{span_words(appointment.starts_at, appointment.ends_at, self.tz)} · {appointment.patient_name}'
            ).classes('grow')
            status = appointment.status.value
            ui.badge(_(RECENT_STATUS[status]), color='warning' if status == 'no_show' else 'grey-7')
            if status in ('booked', 'completed'):
                testid(
                    ui.button(_('Mark no-show'), on_click=lambda a=appointment: self._no_show(a)).props(
                        'flat dense no-caps color=warning'
                    ),
                    'appointment-no-show',
                )

    async def _no_show(self, appointment: AppointmentInfo) -> None:
        when = span_words(appointment.starts_at, appointment.ends_at, self.tz)
        asked = await confirm(
            _('Mark as a no-show?'),
            _(
                "This records that {patient} did not come to the appointment on {when}. It stays in the clinic's "
                'records.',
                patient=appointment.patient_name,
                when=when,
            ),
            _('Mark no-show'),
        )
        if asked is None:
            return
        done = _('Marked {patient} as a no-show.', patient=appointment.patient_name)
        ids = {'actor_id': self.actor.id, 'appointment_id': appointment.id, 'origin': self.client_id}
        await call_and_tell(self.card, done, mark_no_show, self.clinic, **ids)


def clash_badge(clash: str) -> ui.badge:
    """The mark on a kept appointment that clashes with the schedule, until that is resolved."""
    return testid(ui.badge(clash_words(clash), color='negative').props('outline'), 'appointment-clash')


def clash_words(clash: str) -> str:
    """A kept appointment's clashes ('Outside working hours · During unavailable time') in the page's language."""
    return CLASH_SEPARATOR.join(_(part) for part in clash.split(CLASH_SEPARATOR))
