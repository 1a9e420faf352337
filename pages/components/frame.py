"""Page chrome: a one-row header with role-aware navigation and the signed-in name, and the page's h1.

From `md` (768 px) up the header shows the navigation, the name (shortened with an ellipsis, whole on hover) and
Sign out; below it they move into a menu button, so a 390 px phone still gets one row. The browser draws the header's
row (`ClinicBar`).
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.live.boards import LiveBoards
from services.read_models.values import Person

from ..language import N_, _
from .bell import NotificationBell
from .calls import sign_out_here
from .clinic_bar import ClinicBar
from .headings import heading
from .theme import PAGE_WIDTH

NAVIGATION = {  # labels translated by the header
    Role.patient: ((N_('Book'), '/book'), (N_('My appointments'), '/appointments'), (N_('Profile'), '/profile')),
    Role.doctor: ((N_('My schedule'), '/schedule'), (N_('Appointments'), '/appointments'), (N_('Profile'), '/profile')),
    Role.admin: (
        (N_('Admin'), '/admin'),
        (N_('Desk'), '/desk'),
        (N_('Accounts'), '/admin/accounts'),
        (N_('Appointments'), '/appointments'),
        (N_('Profile'), '/profile'),
    ),
}


@contextmanager
def frame(
    title: str,
    person: Person | None = None,
    *,
    clinic: Clinic | None = None,
    boards: LiveBoards | None = None,
    params: Mapping[str, object] | None = None,
) -> Iterator[ui.column]:
    """Wrap a page's content in the clinic's header and a centred, phone-friendly column under an h1 `title` (a text
    marked with `N_`, translated here, its `{placeholders}` filled from `params`)."""
    title = _(title, **(params or {}))
    ui.page_title(f'{title} · {_("Clinic")}')
    with ui.header().classes('items-center px-4 py-2 no-wrap'):
        if person is None:
            ClinicBar()
        else:
            _signed_in_bar(person, clinic, boards)
    with ui.column().classes(f'w-full {PAGE_WIDTH} mx-auto q-pa-md gap-4') as content:
        heading(title, 1).classes('text-2xl font-semibold m-0 break-words max-w-full')
        yield content


def _signed_in_bar(person: Person, clinic: Clinic | None, boards: LiveBoards | None) -> None:
    with_bell = clinic is not None and boards is not None
    bar = ClinicBar(NAVIGATION[person.role], person.full_name, with_bell=with_bell, on_sign_out=sign_out_here)
    if clinic is not None and boards is not None:
        bell = NotificationBell(clinic, boards, person, bar)
        bar.on_read(bell.read)
