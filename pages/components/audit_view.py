"""The admin's read-only view of the audit trail in words (services/audit_words.py), with filters."""

from nicegui import ui

from services.audit_words import ACTION_WORDS, audit_in_words
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInput
from services.local_time import parse_day
from services.read_models.values import DoctorCard, Person

from ..language import N_, _, current_language
from .calls import call
from .hooks import testid

ACTIONS = {'': N_('Every change'), **ACTION_WORDS}  # translated where shown
COLUMNS = (  # (field, heading), the headings translated where shown
    ('at', N_('When')),
    ('who', N_('Who')),
    ('action', N_('What')),
    ('doctor', N_('Doctor')),
    ('change', N_('Change')),
)


class AuditView:
    def __init__(self, clinic: Clinic, admin: Person, doctors: list[DoctorCard]) -> None:
        self.clinic, self.admin = clinic, admin
        self.doctor_names = {d.id: d.full_name for d in doctors}
        with ui.expansion(_('Audit trail'), icon='history').classes('w-full border rounded'):
            with ui.row().classes('w-full gap-3 items-start'):
                self.doctor = testid(
                    ui.select(
                        {0: _('Every doctor'), **self.doctor_names}, value=0, label=_('Doctor'), on_change=self.show
                    )
                    .props('outlined dense')
                    .classes('w-56'),
                    'audit-doctor',
                )
                self.action = testid(
                    ui.select(
                        {action: _(words) for action, words in ACTIONS.items()},
                        value='',
                        label=_('Kind of change'),
                        on_change=self.show,
                    )
                    .props('outlined dense')
                    .classes('w-48'),
                    'audit-action',
                )
                self.day = testid(
                    ui.input(_('Day'), placeholder=_('YYYY-MM-DD'), on_change=self.show)
                    .props('outlined dense stack-label clearable maxlength=10')
                    .classes('w-40'),
                    'audit-day',
                )
            with ui.element('div').classes('w-full max-w-full overflow-x-auto').mark('audit-scroll'):
                # on a phone the table scrolls sideways inside its card instead of widening the page
                self.table = testid(
                    ui.table(
                        columns=[
                            {'name': field, 'label': _(words), 'field': field, 'align': 'left'}
                            for field, words in COLUMNS
                        ],
                        rows=[],
                        row_key='id',
                        pagination=20,
                    )
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
                language=current_language(),
            )
        except ClinicError as error:
            self.day.error = error.message
            return
        self.table.rows = [
            {'id': e.id, 'at': e.when, 'who': e.who, 'action': _(e.what), 'doctor': e.doctor, 'change': e.change}
            for e in entries
        ]
        self.table.update()
