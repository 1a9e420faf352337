"""/desk: the front desk finds a patient as it types, and books, moves, cancels or fits in a walk-in for them, or
registers a caller or walk-in who has no account yet. The rows follow every change to appointments live."""

import asyncio

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.desk import search_patients
from services.errors import ClinicError
from services.live.boards import CLINIC, LiveBoards
from services.live.shared_views import Update
from services.read_models.appointments import ListKey
from services.read_models.doctors import BookableDoctors
from services.read_models.patients import FOUND_LIMIT, PatientCard
from services.read_models.values import AppointmentInfo, Person

from .components.calls import call
from .components.desk_rows import PatientRows
from .components.follow import Follower
from .components.frame import frame
from .components.hooks import testid
from .components.new_patient_form import NewPatientForm
from .language import N_, _, ngettext
from .session import guarded

SEARCH_DEBOUNCE_MS = 250  # the browser sends the typed text once the desk pauses, not at every key


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/desk')
    @guarded(clinic, boards, Role.admin, title=N_('Front desk'))
    async def desk_page(person: Person, q: str = '') -> None:
        """The search text lives in the URL, so coming back from booking shows the same patients."""
        with frame(N_('Front desk'), person, clinic=clinic, boards=boards):
            await Desk(clinic, boards, person, q).start()


class Desk:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person, text: str) -> None:
        self.clinic, self.boards, self.person = clinic, boards, person
        self.doctors = BookableDoctors(())
        self._doctors_known = asyncio.Event()  # set once the clinic's doctors are loaded
        with ui.row().classes('w-full items-start gap-3'):
            self.search = testid(
                ui.input(
                    _('Find a patient'),
                    placeholder=_('Name, email or phone'),
                    value=text,
                    on_change=lambda event: self.find(event.value or ''),
                )
                .props(f'outlined clearable debounce={SEARCH_DEBOUNCE_MS} autofocus')
                .classes('grow min-w-[16rem]'),
                'desk-search',
            )
            testid(ui.button(_('New patient'), icon='person_add', on_click=self._new_patient), 'desk-new-patient')
        self.form = NewPatientForm(clinic, person, on_chosen=self._chosen)
        with ui.card().classes('w-full gap-1') as card:
            self.summary = ui.label().classes('text-grey-8').mark('desk-summary')
            self.rows = PatientRows(clinic, person, anchor=card, doctors=self._known_doctors, after=self.refresh)
        self.doctor_list: Follower[str, BookableDoctors] = Follower(self._doctors_changed, anchor=card)
        # any booking, move or cancellation may change a shown patient's next appointment
        self.changes: Follower[ListKey, tuple[AppointmentInfo, ...]] = Follower(
            lambda _unused: self.refresh(), anchor=card
        )
        self._text = ''

    async def start(self) -> None:
        doctors = await self.doctor_list.follow(self.boards.doctors, CLINIC)
        if doctors is not None:
            self.doctors = doctors
        self._doctors_known.set()
        await self.changes.follow(self.boards.appointment_lists, ('all', 0))
        await self.find(self.search.value or '')  # what the address asked for, or what was typed meanwhile

    async def find(self, text: str) -> None:
        """Show the patients matching `text` (none until something is typed), and keep it in the address."""
        self._text = text
        ui.navigate.history.replace(f'/desk?q={text}' if text else '/desk')
        if not text.strip():
            self.summary.set_text(_('Type a name, email or phone number to find a patient.'))
            self.rows.show([])
            return
        try:
            found = await call(search_patients, self.clinic, actor_id=self.person.id, text=text)
        except ClinicError as error:
            self.summary.set_text(error.message)
            return
        if text != self._text:  # typed on meanwhile: a newer search shows its own result
            return
        self._show(found)

    async def refresh(self) -> None:
        await self.find(self._text)

    def _show(self, found: list[PatientCard]) -> None:
        count = len(found)
        if not found:
            summary = _('No patient found.')
        elif count >= FOUND_LIMIT:
            summary = ngettext(
                '{count} patient found (the first ones: type more to narrow it down).',
                '{count} patients found (the first ones: type more to narrow it down).',
                count,
            )
        else:
            summary = ngettext('{count} patient found.', '{count} patients found.', count)
        self.summary.set_text(summary)
        self.rows.show(found)

    async def _known_doctors(self) -> BookableDoctors:
        """The clinic's doctors, once loaded (a patient found by typing at once may be shown before they are)."""
        await self._doctors_known.wait()
        return self.doctors

    def _doctors_changed(self, update: Update[BookableDoctors]) -> None:
        self.doctors = update.value

    def _new_patient(self) -> None:
        self.form.open(self.search.value or '')

    async def _chosen(self, patient: PatientCard) -> None:
        """A patient was registered, or picked among possible duplicates: show them."""
        self.search.value = patient.full_name  # runs the search, showing them (and anyone of the same name)
