"""/admin/accounts: the front desk finds accounts, deactivates and reactivates them, edits a doctor, gives a patient a
password link, and adds another admin. A deactivated person's open pages in this process go to sign-in at once."""

from nicegui import ui

from models import Role
from services.account_admin import SHOWN_AT_MOST, AccountRow, add_admin, edit_doctor, list_accounts, set_active
from services.accounts import ALLOWED_SLOT_MINUTES
from services.clinic import Clinic
from services.errors import AppointmentsInTheWay, ClinicError, InvalidInputs
from services.live.boards import LiveBoards
from services.password_resets import desk_reset_link
from services.read_models.values import Person
from services.validation import MIN_PASSWORD

from .components.calls import call, clear_errors, show_error
from .components.confirm import confirm
from .components.conflict_dialog import ask_about_appointments, booked_appointments
from .components.frame import frame
from .components.headings import heading
from .components.hooks import testid
from .components.notices import popup
from .components.theme import LIST_ROW
from .language import N_, _, ngettext, pgettext
from .session import guarded, send_pages_of_person_to_sign_in


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/admin/accounts')
    @guarded(clinic, boards, Role.admin, title=N_('Accounts'))
    async def accounts_page(person: Person) -> None:
        with frame(N_('Accounts'), person, clinic=clinic, boards=boards):
            await AccountsList(clinic, person).show()
            _new_admin_form(clinic, person)


class AccountsList:
    def __init__(self, clinic: Clinic, person: Person) -> None:
        self.clinic, self.person = clinic, person
        self.rows: list[AccountRow] = []

    async def show(self) -> None:
        with ui.card().classes('w-full gap-2'):
            heading(_('Find an account'), 2).classes('text-lg font-semibold m-0')
            self.search = testid(
                ui.input(_('Name, email or phone'), on_change=self.reload)
                .props('outlined dense clearable debounce=300 maxlength=100')
                .classes('w-full'),
                'account-search',
            )
            ui.label(_('At most {count} are shown: type to narrow the list.', count=SHOWN_AT_MOST)).classes(
                'text-sm text-grey-8'
            )
            self.list = ui.column().classes('w-full gap-1').mark('account-list')
        await self.reload()

    async def reload(self) -> None:
        self.rows = await call(list_accounts, self.clinic, actor_id=self.person.id, search=self.search.value or '')
        self.list.clear()
        with self.list:
            if not self.rows:
                ui.label(_('No account matches.')).classes('text-grey-8')
            for row in self.rows:
                self._row(row)

    def _row(self, row: AccountRow) -> None:
        with testid(ui.row().classes(f'{LIST_ROW} w-full items-center justify-between gap-2'), 'account-row'):
            with ui.column().classes('gap-0 min-w-0'):
                ui.label(row.full_name).classes('font-medium break-words')
                details = [_role_words(row.role), row.email or _('no email'), row.phone]
                if row.doctor_id is not None:
                    details.append(
                        _('{specialty}, {minutes}-minute slots', specialty=row.specialty, minutes=row.slot_minutes)
                    )
                ui.label(' · '.join(part for part in details if part)).classes('text-sm text-grey-8 break-words')
            with ui.row().classes('gap-1 items-center'):
                if not row.is_active:
                    testid(ui.badge(_('Deactivated'), color='negative'), 'account-inactive')
                if row.doctor_id is not None:
                    testid(
                        ui.button(_('Edit'), on_click=lambda r=row: self.edit(r)).props('flat dense'), 'account-edit'
                    )
                if row.role is Role.patient and row.is_active:
                    testid(
                        ui.button(_('Password link'), on_click=lambda r=row: self.reset_link(r)).props('flat dense'),
                        'account-reset-link',
                    )
                if row.is_active:
                    testid(
                        ui.button(_('Deactivate'), on_click=lambda r=row: self.set_active(r, False)).props(
                            'flat dense color=negative'
                        ),
                        'account-deactivate',
                    )
                else:
                    testid(
                        ui.button(_('Reactivate'), on_click=lambda r=row: self.set_active(r, True)).props('flat dense'),
                        'account-reactivate',
                    )

    async def set_active(self, row: AccountRow, active: bool) -> None:
        if not active:
            text = (
                _(
                    'They are signed out everywhere and cannot sign in until an admin reactivates the account. '
                    'Patients can no longer book with this doctor.'
                )
                if row.doctor_id is not None
                else _('They are signed out everywhere and cannot sign in until an admin reactivates the account.')
            )
            asked = await confirm(_('Deactivate {name}?', name=row.full_name), text, _('Deactivate'))
            if asked is None:
                return
        ids = {'actor_id': self.person.id, 'user_id': row.id, 'active': active, 'origin': ui.context.client.id}
        try:
            try:
                await call(set_active, self.clinic, **ids)
            except AppointmentsInTheWay as conflict:
                where = _('ahead with this doctor') if row.doctor_id is not None else _('ahead of this patient')
                choice = await ask_about_appointments(
                    conflict.appointments,
                    self.clinic.tz,
                    title=booked_appointments(len(conflict.appointments), where),
                    explanation=N_(  # the dialog translates it
                        'Keep them, or cancel them and tell each patient. Nothing changes until you choose.'
                    ),
                )
                if choice is None:
                    return
                await call(set_active, self.clinic, in_the_way=choice, **ids)
        except ClinicError as error:
            popup(error.message, 'warning')
            return
        if not active:
            send_pages_of_person_to_sign_in(row.id)
        name = row.full_name
        popup(_('{name} is reactivated.', name=name) if active else _('{name} is deactivated.', name=name), 'positive')
        await self.reload()

    async def reset_link(self, row: AccountRow) -> None:
        try:
            link = await call(desk_reset_link, self.clinic, actor_id=self.person.id, user_id=row.id)
        except ClinicError as error:
            popup(error.message, 'warning')
            return
        with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3'):
            heading(_('A password link for {name}', name=row.full_name), 2).classes('text-lg font-bold')
            ui.label(_('Give it to them now: it works once, within an hour, and lets them set their password.'))
            testid(ui.label(link).classes('break-all font-mono text-sm'), 'account-reset-link-value')
            ui.button(_('Close'), on_click=dialog.close).props('flat')
        dialog.open()

    async def edit(self, row: AccountRow) -> None:
        assert row.doctor_id is not None
        with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3'):
            heading(_('Edit {name}', name=row.full_name), 2).classes('text-lg font-bold')
            fields = {
                'full_name': testid(ui.input(_('Name'), value=row.full_name).props('outlined'), 'doctor-edit-name'),
                'specialty': testid(
                    ui.input(_('Specialty'), value=row.specialty).props('outlined'), 'doctor-edit-specialty'
                ),
                'slot_minutes': testid(
                    ui.select(
                        {m: ngettext('{count} minute', '{count} minutes', m) for m in ALLOWED_SLOT_MINUTES},
                        value=row.slot_minutes,
                        label=_('Slot length'),
                    ).props('outlined'),
                    'doctor-edit-slot-minutes',
                ),
            }
            for field in fields.values():
                field.classes('w-full')

            async def save() -> None:
                clear_errors(fields)
                try:
                    await call(
                        edit_doctor,
                        self.clinic,
                        actor_id=self.person.id,
                        doctor_id=row.doctor_id,
                        full_name=fields['full_name'].value,
                        specialty=fields['specialty'].value,
                        slot_minutes=fields['slot_minutes'].value,
                    )
                except ClinicError as error:
                    for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                        show_error(problem, fields)
                    return
                dialog.close()
                popup(_('Saved.'), 'positive')
                await self.reload()

            with ui.row().classes('gap-2 justify-end w-full'):
                ui.button(_('Go back'), on_click=dialog.close).props('flat')
                testid(ui.button(_('Save'), on_click=save), 'doctor-edit-submit')
        dialog.open()


def _new_admin_form(clinic: Clinic, person: Person) -> None:
    with ui.card().classes('w-full max-w-md gap-3'):
        heading(_('Add an admin'), 2).classes('text-lg font-semibold m-0')
        fields = {
            'full_name': testid(ui.input(_('Full name')).props('outlined maxlength=200'), 'admin-name'),
            'email': testid(ui.input(_('Email')).props('outlined type=email maxlength=254'), 'admin-email'),
            'password': testid(
                ui.input(
                    ngettext(
                        'Password (at least {count} character)', 'Password (at least {count} characters)', MIN_PASSWORD
                    ),
                    password=True,
                ).props('outlined autocomplete=new-password'),
                'admin-password',
            ),
        }
        for field in fields.values():
            field.classes('w-full')

        async def submit() -> None:
            clear_errors(fields)
            try:
                added = await call(
                    add_admin,
                    clinic,
                    actor_id=person.id,
                    email=fields['email'].value,
                    full_name=fields['full_name'].value,
                    password=fields['password'].value,
                )
            except ClinicError as error:
                for problem in error.problems if isinstance(error, InvalidInputs) else [error]:
                    show_error(problem, fields)
                return
            for field in fields.values():
                field.value = ''
            popup(_('{name} can now sign in as an admin.', name=added.full_name), 'positive')

        testid(ui.button(_('Add admin'), on_click=submit), 'admin-submit')


def _role_words(role: Role) -> str:
    """An account's role as a word beside its name ('Admin' the person, not the menu's 'Admin' page)."""
    if role is Role.admin:
        return pgettext('role', 'Admin')
    if role is Role.doctor:
        return pgettext('role', 'Doctor')
    return pgettext('role', 'Patient')
