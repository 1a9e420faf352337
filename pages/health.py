"""/healthz: a small JSON status for operators: is it up, does it run the clinic-wide jobs, is it linked to the
other processes, and how much live state does it hold."""

from nicegui import Client, app

from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.scheduler import ClinicScheduler


def register(clinic: Clinic, boards: LiveBoards, scheduler: ClinicScheduler) -> None:
    @app.get('/healthz')
    def health() -> dict[str, object]:
        return {
            'status': 'ok',
            'database': clinic.db.engine.dialect.name,
            'runs_clinic_jobs': scheduler.leading,  # reminders and closing appointments: one process at a time
            'events_from_other_processes': clinic.hub.linked_to_other_processes,
            'browsers': len(Client.instances),
            'watched': {
                'days': len(boards.slots.watched_keys),
                'schedules': len(boards.schedules.watched_keys),
                'appointment_lists': len(boards.appointment_lists.watched_keys),
                'inboxes': len(boards.inboxes.watched_keys),
                'doctor_lists': len(boards.doctors.watched_keys),
                'agendas': len(boards.agendas.watched_keys) + len(boards.week_agendas.watched_keys),
                'front_desk_lists': len(boards.front_desk_lists.watched_keys),
            },
        }
