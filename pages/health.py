"""/healthz: a small JSON status for operators: is it up, and how much live state does it hold."""

from nicegui import Client, app

from services.live import LiveBoards


def register(boards: LiveBoards) -> None:
    @app.get('/healthz')
    def health() -> dict[str, object]:
        return {
            'status': 'ok',
            'browsers': len(Client.instances),
            'watched': {
                'days': len(boards.slots.watched_keys),
                'schedules': len(boards.schedules.watched_keys),
                'appointment_lists': len(boards.appointment_lists.watched_keys),
            },
        }
