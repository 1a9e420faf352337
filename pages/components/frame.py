"""Page chrome: header with role-aware navigation and the signed-in name."""

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.read_models.values import Person

from .bell import NotificationBell
from .theme import PAGE_WIDTH

NAVIGATION = {
    Role.patient: (('Book', '/book'), ('My appointments', '/appointments')),
    Role.doctor: (('My schedule', '/schedule'), ('Appointments', '/appointments')),
    Role.admin: (('Admin', '/admin'), ('Appointments', '/appointments')),
}


@contextmanager
def frame(
    title: str,
    person: Person | None = None,
    *,
    clinic: Clinic | None = None,
    boards: LiveBoards | None = None,
) -> Iterator[ui.column]:
    """Wrap a page's content in the clinic's header and a centred, phone-friendly column."""
    ui.page_title(f'{title} · Clinic')
    with ui.header().classes('items-center justify-between px-4 py-2 gap-2 flex-wrap'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('local_hospital', size='1.6rem')
            ui.link('Clinic', '/').classes('text-lg font-bold text-white no-underline')
        if person is not None:
            with ui.row().classes('items-center gap-1 flex-wrap'):
                for label, path in NAVIGATION[person.role]:
                    ui.button(label, on_click=lambda p=path: ui.navigate.to(p)).props('flat color=white dense no-caps')
                if clinic is not None and boards is not None:
                    NotificationBell(clinic, boards, person)
                ui.label(person.full_name).classes('text-sm opacity-90 q-ml-sm').mark('signed-in-name')
                ui.button('Sign out', on_click=lambda: ui.navigate.to('/logout')).props(
                    'flat color=white dense no-caps icon=logout'
                )
    with ui.column().classes(f'w-full {PAGE_WIDTH} mx-auto q-pa-md gap-4') as content:
        ui.label(title).classes('text-2xl font-semibold')
        yield content
