"""Page chrome: a one-row header with role-aware navigation and the signed-in name, and the page's h1.

From `md` (768 px) up the header shows the navigation, the name (shortened with an ellipsis, whole on hover) and
Sign out; below it they move into a menu button, so a 390 px phone still gets one row.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.read_models.values import Person

from .bell import NotificationBell
from .calls import sign_out_here
from .headings import heading
from .theme import PAGE_WIDTH

NAVIGATION = {
    Role.patient: (('Book', '/book'), ('My appointments', '/appointments'), ('Profile', '/profile')),
    Role.doctor: (('My schedule', '/schedule'), ('Appointments', '/appointments'), ('Profile', '/profile')),
    Role.admin: (
        ('Admin', '/admin'),
        ('Desk', '/desk'),
        ('Accounts', '/admin/accounts'),
        ('Appointments', '/appointments'),
        ('Profile', '/profile'),
    ),
}
WIDE = 'max-md:hidden'  # shown from 768 px up
NARROW = 'md:hidden'  # shown below 768 px


@contextmanager
def frame(
    title: str,
    person: Person | None = None,
    *,
    clinic: Clinic | None = None,
    boards: LiveBoards | None = None,
) -> Iterator[ui.column]:
    """Wrap a page's content in the clinic's header and a centred, phone-friendly column under an h1 `title`."""
    ui.page_title(f'{title} · Clinic')
    with ui.header().classes('items-center justify-between px-4 py-2 gap-2 no-wrap'):
        with ui.row().classes('items-center gap-2 no-wrap shrink-0'):
            ui.icon('local_hospital', size='1.6rem').props('aria-hidden=true')
            ui.link('Clinic', '/').classes('text-lg font-bold text-white no-underline')
        if person is not None:
            _signed_in_bar(person, clinic, boards)
    with ui.column().classes(f'w-full {PAGE_WIDTH} mx-auto q-pa-md gap-4') as content:
        heading(title, 1).classes('text-2xl font-semibold m-0 break-words max-w-full')
        yield content


def _signed_in_bar(person: Person, clinic: Clinic | None, boards: LiveBoards | None) -> None:
    with ui.row().classes('items-center gap-1 no-wrap min-w-0'):
        for label, path in NAVIGATION[person.role]:
            ui.button(label, on_click=lambda p=path: ui.navigate.to(p)).props('flat color=white dense no-caps').classes(
                f'shrink-0 {WIDE}'
            )
        if clinic is not None and boards is not None:
            NotificationBell(clinic, boards, person)
        name = ui.label(person.full_name).classes(f'text-sm opacity-90 q-ml-sm truncate min-w-0 max-w-[16rem] {WIDE}')
        name.props['title'] = person.full_name  # the whole name on hover
        name.mark('signed-in-name')
        ui.button('Sign out', on_click=sign_out_here).props('flat color=white dense no-caps icon=logout').classes(
            f'shrink-0 {WIDE}'
        )
        with (
            ui.button(icon='menu')
            .props('flat round dense color=white aria-label="Menu"')
            .classes(f'shrink-0 {NARROW}')
            .mark('navigation-menu'),
            ui.menu().classes('max-w-[80vw]'),
        ):
            ui.label(person.full_name).classes('px-4 pt-3 pb-1 text-sm font-medium truncate').props['title'] = (
                person.full_name
            )
            for label, path in NAVIGATION[person.role]:
                ui.menu_item(label, on_click=lambda p=path: ui.navigate.to(p)).props('role=menuitem')
            ui.menu_item('Sign out', on_click=sign_out_here).props('role=menuitem')
