"""/schedule (a doctor's own) and /admin/doctors/{id}/schedule (an admin's view of any doctor)."""

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.errors import ClinicError
from services.live.boards import LiveBoards
from services.read_models.values import Person
from services.schedule import doctor_schedule, own_doctor_id

from .components.agenda import agenda
from .components.calls import call
from .components.doctor_waitlist import DoctorWaitlist
from .components.frame import frame
from .components.schedule_editor import schedule_editor
from .language import N_, _
from .session import guarded


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/schedule')
    @guarded(clinic, boards, Role.doctor, title=N_('My schedule'))
    async def own_schedule_page(person: Person, day: str | None = None) -> None:
        with frame(N_('My schedule'), person, clinic=clinic, boards=boards):
            doctor_id = await call(own_doctor_id, clinic, actor_id=person.id)
            await agenda(clinic, boards, person, doctor_id, day)
            await schedule_editor(clinic, boards, person, doctor_id)
            await DoctorWaitlist(clinic, boards, person, doctor_id).start()

    @ui.page('/admin/doctors/{doctor_id}/schedule')
    @guarded(clinic, boards, Role.admin, title=N_('Doctor schedule'))
    async def doctor_schedule_page(person: Person, doctor_id: int, day: str | None = None) -> None:
        try:
            schedule = await call(doctor_schedule, clinic, actor_id=person.id, doctor_id=doctor_id)
        except ClinicError:
            with frame(N_('Doctor schedule'), person, clinic=clinic, boards=boards):
                ui.status_code(404)
                ui.label(_('There is no such doctor.')).mark('not-found')
                ui.link(_('Back to the doctors list'), '/admin')
            return
        title = N_('Schedule of {name}')
        with frame(title, person, clinic=clinic, boards=boards, params={'name': schedule.doctor.full_name}):
            ui.label(f'{schedule.doctor.specialty} · {schedule.doctor.email}').classes('text-grey-8')
            await agenda(clinic, boards, person, doctor_id, day)
            await schedule_editor(clinic, boards, person, doctor_id)
            await DoctorWaitlist(clinic, boards, person, doctor_id).start()
