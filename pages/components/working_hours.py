"""Weekly working hours and slot length, edited as one line of ranges per weekday."""

from nicegui import ui

from services.accounts import ALLOWED_SLOT_MINUTES
from services.availability import InTheWay
from services.clinic import Clinic
from services.errors import AppointmentsInTheWay, ClinicError
from services.read_models.values import AppointmentInfo, DoctorSchedule, Person
from services.schedule import format_ranges, parse_ranges, set_working_hours

from ..language import N_, _, ngettext
from .calls import call, clear_errors, show_error
from .conflict_dialog import ask_about_appointments, booked_appointments
from .hooks import testid
from .notices import popup

WEEKDAYS = (N_('Monday'), N_('Tuesday'), N_('Wednesday'), N_('Thursday'), N_('Friday'), N_('Saturday'), N_('Sunday'))


class WorkingHoursCard:
    def __init__(self, clinic: Clinic, actor: Person, doctor_id: int) -> None:
        self.clinic, self.actor, self.doctor_id = clinic, actor, doctor_id
        self.client_id = ui.context.client.id
        self.shown: dict[str, object] = {}
        with ui.expansion(_('Working hours and slot length'), icon='schedule').classes('w-full border rounded'):
            ui.label(
                _('One line per weekday, e.g. 09:00-12:00, 13:00-17:00. Leave a day empty when not working.')
            ).classes('text-sm text-grey-8')
            self.days = {
                f'hours-{weekday}': testid(
                    ui.input(_(name)).props('outlined dense').classes('w-full'), f'hours-{weekday}'
                )
                for weekday, name in enumerate(WEEKDAYS)
            }
            self.slot_minutes = testid(
                ui.select(
                    {m: ngettext('{count} minute', '{count} minutes', m) for m in ALLOWED_SLOT_MINUTES},
                    label=_('Slot length'),
                )
                .props('outlined dense')
                .classes('w-48'),
                'slot-minutes',
            )
            self.fields = {**self.days, 'slot_minutes': self.slot_minutes}
            self.submit = testid(
                ui.button(_('Save working hours'), icon='save', on_click=lambda: self._save()), 'hours-submit'
            )

    def show(self, schedule: DoctorSchedule) -> None:
        """Show the saved hours, but never overwrite what the person is in the middle of typing."""
        for key, element in self.days.items():
            saved = format_ranges(schedule.hours, int(key.split('-')[1]))
            if element.value == self.shown.get(key, element.value):
                element.value = saved
            self.shown[key] = saved
        if self.slot_minutes.value in (None, self.shown.get('slot_minutes')):
            self.slot_minutes.value = schedule.doctor.slot_minutes
        self.shown['slot_minutes'] = schedule.doctor.slot_minutes

    async def _save(self, in_the_way: InTheWay | None = None) -> None:
        clear_errors(self.fields)
        try:
            hours = {day: parse_ranges(self.days[f'hours-{day}'].value, weekday=day) for day in range(7)}
            self.submit.enabled = False
            saved = await call(
                set_working_hours,
                self.clinic,
                actor_id=self.actor.id,
                doctor_id=self.doctor_id,
                hours=hours,
                slot_minutes=self.slot_minutes.value,
                in_the_way=in_the_way,
                origin=self.client_id,
            )
        except AppointmentsInTheWay as conflict:
            self.submit.enabled = True
            title = booked_appointments(len(conflict.appointments), _('outside the new hours'))
            choice = await ask_about_appointments(conflict.appointments, self.clinic.tz, title=title)
            if choice is not None:
                await self._save(choice)
            return
        except ClinicError as error:
            show_error(error, self.fields)
            return
        finally:
            self.submit.enabled = True
        popup(_saved_words(saved.cancelled), 'positive')


def _saved_words(cancelled: tuple[AppointmentInfo, ...]) -> str:
    """'Working hours saved.', or what happened to the appointments cancelled on the doctor's request."""
    if not cancelled:
        return _('Working hours saved.')
    if len(cancelled) == 1:
        return _('Working hours saved; 1 patient was told their appointment is cancelled.')
    return ngettext(
        'Working hours saved; {count} patient was told their appointments are cancelled.',
        'Working hours saved; {count} patients were told their appointments are cancelled.',
        len({a.patient_id for a in cancelled}),
    )
