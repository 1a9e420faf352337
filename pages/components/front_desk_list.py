"""The front desk's working list on /admin: appointments filtered by doctor, days, status and patient, kept current
live (one shared view per filter in use), and exported as CSV exactly as filtered."""

from datetime import timedelta

from nicegui import ui

from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.front_desk_list import ALL, STATUS_WORDS, export_appointments, export_filename, front_desk_filter
from services.live.boards import LiveBoards
from services.read_models.appointments import FILTERED_LIMIT, AppointmentFilter
from services.read_models.values import AppointmentInfo, DoctorCard, Person

from ..appointments import AppointmentList
from ..language import _
from .calls import call, clear_errors, show_error
from .hooks import testid
from .notices import popup

DEFAULT_DAYS = 14  # today and the next two weeks
ALL_DOCTORS = 0


class FrontDeskList:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person, doctors: list[DoctorCard]) -> None:
        self.clinic, self.person = clinic, person
        self.which: AppointmentFilter | None = None
        self._requests = 0
        today = clinic.now().astimezone(clinic.tz).date()
        doctor_options = {ALL_DOCTORS: _('All doctors')} | {d.id: d.full_name for d in doctors}
        status_options = {ALL: _('Any status')} | {status.value: _(word) for status, word in STATUS_WORDS.items()}
        with ui.row().classes('w-full items-start gap-2'):
            self.fields = {
                'doctor': testid(
                    ui.select(doctor_options, value=ALL_DOCTORS, label=_('Doctor')), 'appointments-doctor'
                ),
                'from': testid(ui.input(_('From (YYYY-MM-DD)'), value=f'{today:%Y-%m-%d}'), 'appointments-from'),
                'until': testid(
                    ui.input(_('Until (YYYY-MM-DD)'), value=f'{today + timedelta(days=DEFAULT_DAYS):%Y-%m-%d}'),
                    'appointments-until',
                ),
                'status': testid(ui.select(status_options, value=ALL, label=_('Status')), 'appointments-status'),
                'patient': testid(ui.input(_('Patient name or email')), 'appointments-patient'),
            }
            for key, element in self.fields.items():
                element.props('outlined dense' + (' debounce=400' if isinstance(element, ui.input) else ''))
                element.classes('min-w-[10rem]' if key != 'patient' else 'min-w-[14rem] grow')
                element.on_value_change(self.refilter)
            testid(
                ui.button(_('Export CSV'), icon='download', on_click=self._export).props('outline no-caps'),
                'appointments-export',
            ).classes('self-center')
        self.list = _FilteredList(clinic, boards, person)

    async def refilter(self) -> None:
        """Read the filter as typed and follow its list, or say next to each field what is wrong."""
        self._requests += 1
        request = self._requests
        values = {key: element.value for key, element in self.fields.items()}
        try:
            which = await call(
                front_desk_filter,
                self.clinic,
                actor_id=self.person.id,
                doctor_id=values['doctor'] or None,
                first_day=values['from'] or '',
                last_day=values['until'] or '',
                status=values['status'] or ALL,
                patient=values['patient'] or '',
            )
        except ClinicError as error:
            if request == self._requests:
                clear_errors(self.fields)
                for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                    show_error(problem, self.fields)
            return
        if request != self._requests:  # typed on meanwhile: the newer filter wins
            return
        clear_errors(self.fields)
        if which != self.which:
            self.which = which
            await self.list.start(which)

    async def _export(self) -> None:
        which = self.which
        if which is None:
            return
        try:
            data = await call(export_appointments, self.clinic, actor_id=self.person.id, which=which)
        except ClinicError as error:
            popup(error.message, 'warning')
            return
        ui.download.content(data, export_filename(which), 'text/csv')


class _FilteredList(AppointmentList):
    """The appointment rows (cancel with its question and reasons, clash badges, live popups) for one filter."""

    async def start(self, key: AppointmentFilter) -> None:  # type: ignore[override]
        appointments = await self.follower.follow(self.boards.front_desk_lists, key)  # type: ignore[arg-type]
        if appointments is not None:
            self.show(appointments)

    def show(self, appointments: tuple[AppointmentInfo, ...]) -> None:
        self.known = {a.id: a for a in appointments}
        self.rows.mark('appointment-list', 'appointments-shown')
        self.rows.clear()
        with self.rows:
            if not appointments:
                ui.label(_('No appointments match the filter.')).classes('text-grey-8')
            for appointment in appointments[:FILTERED_LIMIT]:
                self._row(appointment)
            if len(appointments) > FILTERED_LIMIT:
                more = _(
                    'Only the first {count} are shown: narrow the filter (the CSV has them all).', count=FILTERED_LIMIT
                )
                ui.label(more).classes('text-sm text-grey-8')
