"""Ask what to do with booked appointments that a schedule change (blocked time, new hours) would leave stranded."""

from itertools import count
from zoneinfo import ZoneInfo

from nicegui import ui

from services.availability import InTheWay
from services.read_models.values import AppointmentInfo

from ..language import N_, _, ngettext, span_words
from .headings import heading
from .hooks import testid

EXPLANATION = N_('Decide what happens to them. Nothing is saved until you choose.')

_ids = count(1)


def booked_appointments(number: int, where: str) -> str:
    """'1 booked appointment in this period', '3 booked appointments outside the new hours' (`where` in the page's
    language already)."""
    return ngettext('{count} booked appointment {where}', '{count} booked appointments {where}', number, where=where)


async def ask_about_appointments(
    appointments: list[AppointmentInfo],
    tz: ZoneInfo,
    *,
    title: str | None = None,
    explanation: str = EXPLANATION,
) -> InTheWay | None:
    """Show the appointments in the way; return keep, cancel, or None when the person goes back.

    The title says where they are (by default: in the period being blocked); it also names the dialog.
    """
    heading_id = f'conflict-title-{next(_ids)}'
    with ui.dialog().props(f'no-backdrop-dismiss aria-labelledby={heading_id}') as dialog:
        testid(dialog, 'conflict-dialog')
        with ui.card().classes('w-full max-w-lg gap-3'):
            heading(title or booked_appointments(len(appointments), _('in this period'))).classes(
                'text-lg font-bold'
            ).props(f'id={heading_id}')
            ui.label(_(explanation)).classes('text-grey-8')
            with ui.column().classes('w-full gap-1'):
                for appointment in appointments:
                    with testid(ui.row(), 'conflict-appointment').classes('w-full items-center gap-2 no-wrap'):
                        ui.icon('event_busy', color='negative')
                        text = f'{span_words(appointment.starts_at, appointment.ends_at, tz)} · '
                        text += appointment.patient_name
                        if appointment.reason:
                            text += f' · {appointment.reason}'
                        ui.label(text)
            with ui.row().classes('w-full justify-end gap-2 flex-wrap'):
                testid(ui.button(_('Go back'), on_click=lambda: dialog.submit(None)).props('flat'), 'conflict-back')
                testid(
                    ui.button(_('Keep them'), on_click=lambda: dialog.submit(InTheWay.keep)).props('outline'),
                    'conflict-keep',
                )
                testid(
                    ui.button(
                        _('Cancel them and notify patients'),
                        color='negative',
                        on_click=lambda: dialog.submit(InTheWay.cancel),
                    ),
                    'conflict-cancel',
                )
    dialog.open()
    choice = await dialog
    if not dialog.client.is_deleted:  # the page may have closed while it asked
        dialog.delete()
    return choice  # type: ignore[no-any-return]
