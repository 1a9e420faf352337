"""Ask before an action that cannot be taken back: one dialog, named for screen readers, that says what will happen.

The accepting button carries `confirm-accept` (the public UI contract); going back answers None.
"""

from collections.abc import Sequence
from itertools import count

from nicegui import ui

from ..language import _
from .headings import heading
from .hooks import testid

_ids = count(1)


async def confirm(
    title: str,
    text: str,
    accept: str,
    *,
    danger: bool = True,
    back: str | None = None,
    reasons: Sequence[str] = (),
) -> str | None:
    """Show the question; return the chosen reason (or '' when no reasons are offered) on accept, None on back.

    With `reasons`, the person picks one from the short list before accepting (the first is preselected). The texts
    come translated; `back` is 'Go back' (in the page's language) unless given.
    """
    back_text = _('Go back') if back is None else back
    heading_id = f'confirm-title-{next(_ids)}'
    # on the page itself, not inside the list row whose button asked: a live update may rebuild that row meanwhile
    with ui.context.client.layout, ui.dialog() as dialog, ui.card().classes('w-full max-w-md gap-3'):
        dialog.props(f'aria-labelledby={heading_id}')
        testid(dialog, 'confirm-dialog')
        heading(title).classes('text-lg font-bold').props(f'id={heading_id}')
        ui.label(text).classes('text-grey-9')
        choice = None
        if reasons:
            choice = testid(
                ui.select(
                    {reason: _(reason) for reason in reasons}, value=reasons[0], label=_('Reason the patient will see')
                ).props('outlined dense'),
                'confirm-reason',
            ).classes('w-full')
        with ui.row().classes('w-full justify-end gap-2 flex-wrap'):
            testid(ui.button(back_text, on_click=lambda: dialog.submit(None)).props('flat'), 'confirm-back')
            testid(
                ui.button(
                    accept,
                    color='negative' if danger else 'primary',
                    on_click=lambda: dialog.submit('' if choice is None else str(choice.value or '')),
                ),
                'confirm-accept',
            )
    dialog.open()
    answer = await dialog
    if not dialog.client.is_deleted:  # the page may have closed while it asked
        dialog.delete()
    return answer  # type: ignore[no-any-return]
