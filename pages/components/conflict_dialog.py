"""Ask what to do with booked appointments that a new unavailability period would cover."""

from zoneinfo import ZoneInfo

from nicegui import ui

from services.availability import InTheWay
from services.local_time import format_span
from services.read_models.values import AppointmentInfo

from .hooks import testid


async def ask_about_appointments(appointments: list[AppointmentInfo], tz: ZoneInfo) -> InTheWay | None:
    """Show the appointments in the way; return keep, cancel, or None when the person goes back."""
    with ui.dialog().props('persistent') as dialog, ui.card().classes('w-full max-w-lg gap-3'):
        testid(dialog, 'conflict-dialog')
        count = len(appointments)
        ui.label(f'{count} booked appointment{"s" if count != 1 else ""} in this period').classes('text-lg font-bold')
        ui.label('Decide what happens to them. Nothing is saved until you choose.').classes('text-grey-8')
        with ui.column().classes('w-full gap-1'):
            for appointment in appointments:
                with testid(ui.row(), 'conflict-appointment').classes('w-full items-center gap-2 no-wrap'):
                    ui.icon('event_busy', color='negative')
                    text = f'{format_span(appointment.starts_at, appointment.ends_at, tz)} · {appointment.patient_name}'
                    if appointment.reason:
                        text += f' · {appointment.reason}'
                    ui.label(text)
        with ui.row().classes('w-full justify-end gap-2 flex-wrap'):
            testid(ui.button('Go back', on_click=lambda: dialog.submit(None)).props('flat'), 'conflict-back')
            testid(
                ui.button('Keep them', on_click=lambda: dialog.submit(InTheWay.keep)).props('outline'), 'conflict-keep'
            )
            testid(
                ui.button(
                    'Cancel them and notify patients', color='negative', on_click=lambda: dialog.submit(InTheWay.cancel)
                ),
                'conflict-cancel',
            )
    choice = await dialog
    dialog.delete()
    return choice  # type: ignore[no-any-return]
