"""/schedule (a doctor's own) and /admin/doctors/{id}/schedule (an admin's view of any doctor)."""

from fastapi.responses import RedirectResponse
from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.errors import ClinicError
from services.live.boards import LiveBoards
from services.schedule import doctor_schedule, own_doctor_id

from .components.calls import call
from .components.frame import frame
from .components.schedule_editor import schedule_editor
from .session import current_person, not_allowed_page, to_login


def register(clinic: Clinic, boards: LiveBoards) -> None:
    @ui.page('/schedule')
    async def own_schedule_page() -> RedirectResponse | None:
        person = current_person(clinic)
        if person is None:
            return to_login('/schedule')
        with frame('My schedule', person, clinic=clinic, boards=boards):
            if person.role is not Role.doctor:
                not_allowed_page()
                return None
            doctor_id = await call(own_doctor_id, clinic, actor_id=person.id)
            await schedule_editor(clinic, boards, person, doctor_id)
        return None

    @ui.page('/admin/doctors/{doctor_id}/schedule')
    async def doctor_schedule_page(doctor_id: int) -> RedirectResponse | None:
        person = current_person(clinic)
        if person is None:
            return to_login(f'/admin/doctors/{doctor_id}/schedule')
        if person.role is not Role.admin:
            with frame('Doctor schedule', person, clinic=clinic, boards=boards):
                not_allowed_page()
            return None
        try:
            schedule = await call(doctor_schedule, clinic, actor_id=person.id, doctor_id=doctor_id)
        except ClinicError:
            with frame('Doctor schedule', person, clinic=clinic, boards=boards):
                ui.status_code(404)
                ui.label('There is no such doctor.').mark('not-found')
                ui.link('Back to the doctors list', '/admin')
            return None
        with frame(f'Schedule of {schedule.doctor.full_name}', person, clinic=clinic, boards=boards):
            ui.label(f'{schedule.doctor.specialty} · {schedule.doctor.email}').classes('text-grey-8')
            await schedule_editor(clinic, boards, person, doctor_id)
        return None
