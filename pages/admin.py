"""/admin: the front desk's doctors list, new doctor accounts, and its filtered, exportable appointment list."""

from collections.abc import Awaitable, Callable

from nicegui import ui

from models import Role
from services.accounts import ALLOWED_SLOT_MINUTES, create_doctor
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.live.boards import LiveBoards
from services.read_models.values import Person
from services.schedule import list_doctors
from services.scheduler import ClinicScheduler
from services.validation import MIN_PASSWORD

from .components.audit_view import AuditView
from .components.calls import call, clear_errors, show_error
from .components.closures_card import ClosuresCard
from .components.frame import frame
from .components.front_desk_list import FrontDeskList
from .components.hooks import testid
from .components.notices import popup
from .components.outbox_card import OutboxCard
from .components.theme import LIST_ROW
from .components.webhooks_card import WebhooksCard
from .language import N_, _, ngettext, when_words
from .session import guarded


def register(clinic: Clinic, boards: LiveBoards, scheduler: ClinicScheduler) -> None:
    @ui.page('/admin')
    @guarded(clinic, boards, Role.admin, title=N_('Clinic admin'))
    async def admin_page(person: Person) -> None:
        with frame(N_('Clinic admin'), person, clinic=clinic, boards=boards):
            doctors = DoctorsCard(clinic)
            await doctors.load()
            NewDoctorCard(clinic, person, on_created=doctors.load)
            doctor_cards = await call(list_doctors, clinic)
            await ClosuresCard(clinic, person, doctor_cards).load()
            ui.label(_('Appointments')).classes('text-lg font-medium')
            await FrontDeskList(clinic, boards, person, doctor_cards).refilter()
            audit = AuditView(clinic, person, doctor_cards)
            await audit.show()
            await OutboxCard(clinic, person).load()
            await WebhooksCard(clinic, person).load()
            JobsCard(clinic, scheduler)


class DoctorsCard:
    def __init__(self, clinic: Clinic) -> None:
        self.clinic = clinic
        with ui.card().classes('w-full gap-1'):
            with ui.row().classes('w-full items-center justify-between'):
                ui.label(_('Doctors')).classes('text-lg font-medium')
                ui.link(_('Manage accounts'), '/admin/accounts').classes('text-sm').mark('accounts-link')
            self.rows = ui.column().classes('w-full gap-1')

    async def load(self) -> None:
        doctors = await call(list_doctors, self.clinic)
        self.rows.clear()
        with self.rows:
            for doctor in doctors:
                with testid(ui.row(), 'doctor-row').classes(LIST_ROW):
                    with ui.column().classes('grow gap-0'):
                        ui.label(doctor.full_name).classes('font-medium')
                        slots = _('{minutes}-minute slots', minutes=doctor.slot_minutes)
                        ui.label(f'{doctor.specialty} · {slots} · {doctor.email}').classes('text-sm text-grey-8')
                    testid(
                        ui.button(
                            _('Schedule'),
                            icon='edit_calendar',
                            on_click=lambda d=doctor: ui.navigate.to(f'/admin/doctors/{d.id}/schedule'),
                        ).props('flat dense no-caps'),
                        'doctor-schedule',
                    )


class NewDoctorCard:
    def __init__(self, clinic: Clinic, admin: Person, *, on_created: Callable[[], Awaitable[None]]) -> None:
        self.clinic, self.admin, self.on_created = clinic, admin, on_created
        with (
            ui.expansion(_('Add a doctor'), icon='person_add').classes('w-full border rounded'),
            ui.column().classes('w-full gap-2 q-pa-sm'),
        ):
            self.fields = {
                'full_name': testid(
                    ui.input(_('Full name, e.g. Dr. Dana Wu')).props('outlined dense maxlength=200'), 'doctor-name'
                ),
                'email': testid(ui.input(_('Email')).props('outlined dense type=email'), 'doctor-email'),
                'specialty': testid(ui.input(_('Specialty')).props('outlined dense maxlength=120'), 'doctor-specialty'),
                'password': testid(
                    ui.input(
                        ngettext(
                            'First password (at least {count} character)',
                            'First password (at least {count} characters)',
                            MIN_PASSWORD,
                        ),
                        password=True,
                    ).props('outlined dense'),
                    'doctor-password',
                ),
                'slot_minutes': testid(
                    ui.select(
                        {m: ngettext('{count} minute', '{count} minutes', m) for m in ALLOWED_SLOT_MINUTES},
                        value=30,
                        label=_('Slot length'),
                    ).props('outlined dense'),
                    'doctor-slot-minutes',
                ),
            }
            for element in self.fields.values():
                element.classes('w-full')
            ui.label(
                _('New doctors start with Monday-Friday 09:00-12:00 and 13:00-17:00; change it on their schedule.')
            ).classes('text-sm text-grey-8')
            testid(ui.button(_('Create doctor account'), icon='add', on_click=self._create), 'doctor-submit')

    async def _create(self) -> None:
        clear_errors(self.fields)
        values = {key: element.value for key, element in self.fields.items()}
        try:
            doctor = await call(
                create_doctor,
                self.clinic,
                actor_id=self.admin.id,
                email=values['email'] or '',
                full_name=values['full_name'] or '',
                specialty=values['specialty'] or '',
                password=values['password'] or '',
                slot_minutes=values['slot_minutes'] or 0,
            )
        except ClinicError as error:
            for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                show_error(problem, self.fields)
            return
        for key in ('full_name', 'email', 'specialty', 'password'):
            self.fields[key].value = ''
        popup(_('{name} can now sign in with {email}.', name=doctor.full_name, email=doctor.email), 'positive')
        await self.on_created()


class JobsCard:
    """Shows that the scheduler is alive: what runs next, and when."""

    def __init__(self, clinic: Clinic, scheduler: ClinicScheduler) -> None:
        self.clinic, self.scheduler = clinic, scheduler
        with ui.expansion(_('Scheduled jobs'), icon='schedule', value=False).classes('w-full border rounded'):
            self.rows = ui.column().classes('w-full gap-1').mark('scheduled-jobs')
            ui.button(_('Refresh'), icon='refresh', on_click=self.show).props('flat dense')
        self.show()

    def show(self) -> None:
        self.rows.clear()
        with self.rows:
            jobs = self.scheduler.jobs()
            if not jobs:
                ui.label(_('Nothing scheduled.')).classes('text-grey-8')
            for job in jobs:
                with testid(ui.row(), 'scheduled-job').classes(LIST_ROW):
                    ui.label(_(job.name)).classes('grow')
                    when = when_words(job.next_run, self.clinic.tz) if job.next_run else _('paused')
                    ui.label(when).classes('text-grey-8')
