"""The admin's read-only view of the audit trail in words (services/audit_words.py), with filters."""

from nicegui import ui

from services.audit_words import ACTION_WORDS, audit_in_words
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInput
from services.local_time import parse_day
from services.read_models.values import DoctorCard, Person

from .calls import call
from .hooks import testid

ACTIONS = {'': 'Every change', **ACTION_WORDS}
COLUMNS = [
    {'name': 'at', 'label': 'When', 'field': 'at', 'align': 'left'},
    {'name': 'who', 'label': 'Who', 'field': 'who', 'align': 'left'},
    {'name': 'action', 'label': 'What', 'field': 'action', 'align': 'left'},
    {'name': 'doctor', 'label': 'Doctor', 'field': 'doctor', 'align': 'left'},
    {'name': 'change', 'label': 'Change', 'field': 'change', 'align': 'left'},
]


class AuditView:
    def __init__(self, clinic: Clinic, admin: Person, doctors: list[DoctorCard]) -> None:
        self.clinic, self.admin = clinic, admin
        self.doctor_names = {d.id: d.full_name for d in doctors}
        with ui.expansion('Audit trail', icon='history').classes('w-full border rounded'):
            with ui.row().classes('w-full gap-3 items-start'):
                self.doctor = testid(
                    ui.select({0: 'Every doctor', **self.doctor_names}, value=0, label='Doctor', on_change=self.show)
                    .props('outlined dense')
                    .classes('w-56'),
                    'audit-doctor',
                )
                self.action = testid(
                    ui.select(ACTIONS, value='', label='Kind of change', on_change=self.show)
                    .props('outlined dense')
                    .classes('w-48'),
                    'audit-action',
                )
                self.day = testid(
                    ui.input('Day', placeholder='YYYY-MM-DD', on_change=self.show)
                    .props('outlined dense stack-label clearable maxlength=10')
                    .classes('w-40'),
                    'audit-day',
                )
            with ui.element('div').classes('w-full max-w-full overflow-x-auto').mark('audit-scroll'):
                # on a phone the table scrolls sideways inside its card instead of widening the page
                self.table = testid(
                    ui.table(columns=COLUMNS, rows=[], row_key='id', pagination=20)
                    .props('flat dense wrap-cells')
                    .classes('w-full')
                    .style('min-width: 40rem'),
                    'audit-table',
                )

    async def show(self) -> None:
        self.day.error = None
        day = None
        if self.day.value:
            if len(self.day.value) < 10:
                return
            try:
                day = parse_day(self.day.value, field='day')
            except InvalidInput as error:
                self.day.error = error.message
                return
        try:
            entries = await call(
                audit_in_words,
                self.clinic,
                actor_id=self.admin.id,
                doctor_id=self.doctor.value or None,
                action=self.action.value or None,
                day=day,
            )
        except ClinicError as error:
            self.day.error = error.message
            return
        self.table.rows = [
            {'id': e.id, 'at': e.when, 'who': e.who, 'action': e.what, 'doctor': e.doctor, 'change': e.change}
            for e in entries
        ]
        self.table.update()
