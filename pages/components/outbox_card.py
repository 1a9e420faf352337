"""The front desk's view of the e-mail outbox on /admin: what is pending, sent and failed (with the server's words),
and a retry for a failed e-mail once its address or the mail server is fixed."""

from nicegui import ui

from models import MailStatus
from services.clinic import Clinic
from services.errors import ClinicError
from services.outbox import MailLine, outbox_view, retry_failed
from services.read_models.values import Person

from ..language import N_, _, ngettext, when_words
from .calls import call
from .hooks import testid
from .notices import popup
from .theme import LIST_ROW

_BADGES = {  # words translated where shown
    MailStatus.pending: (N_('Waiting'), 'grey-8'),
    MailStatus.sending: (N_('Sending'), 'primary'),
    MailStatus.sent: (N_('Sent'), 'positive'),
    MailStatus.failed: (N_('Failed'), 'negative'),
}


class OutboxCard:
    def __init__(self, clinic: Clinic, actor: Person) -> None:
        self.clinic, self.actor = clinic, actor
        with ui.expansion(_('E-mail outbox'), icon='outgoing_mail', value=False).classes('w-full border rounded'):
            self.counts = ui.label().classes('text-sm text-grey-8').mark('outbox-counts')
            self.rows = ui.column().classes('w-full gap-1')
            ui.button(_('Refresh'), icon='refresh', on_click=self.load).props('flat dense')

    async def load(self) -> None:
        view = await call(outbox_view, self.clinic, actor_id=self.actor.id)
        counts = view.counts
        self.counts.set_text(
            _(
                '{waiting} waiting · {sent} sent · {failed} failed',
                waiting=counts[MailStatus.pending] + counts[MailStatus.sending],
                sent=counts[MailStatus.sent],
                failed=counts[MailStatus.failed],
            )
        )
        self.rows.clear()
        with self.rows:
            if not view.recent:
                ui.label(_('No e-mail yet.')).classes('text-grey-8')
            for line in view.recent:
                self._row(line)

    def _row(self, line: MailLine) -> None:
        word, color = _BADGES[line.status]
        with testid(ui.row(), 'outbox-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0'):
                ui.label(f'{line.subject} · {line.to}').classes('font-medium')
                when = line.sent_at or line.created_at
                attempts = ngettext('{count} attempt(s)', '{count} attempt(s)', line.attempts)
                detail = f'{when_words(when, self.clinic.tz)} · {attempts}'
                if line.error:
                    detail += f' · {_(line.error)}'
                ui.label(detail).classes('text-sm text-grey-8')
            testid(ui.badge(_(word), color=color), 'outbox-status')
            if line.can_retry:
                testid(
                    ui.button(_('Retry'), icon='replay', on_click=lambda m=line: self._retry(m)).props(
                        'flat dense no-caps'
                    ),
                    'outbox-retry',
                )

    async def _retry(self, line: MailLine) -> None:
        try:
            await call(retry_failed, self.clinic, mail_id=line.id, actor_id=self.actor.id)
        except ClinicError as error:
            popup(error.message, 'warning')
        else:
            popup(_('The e-mail to {address} will be sent again.', address=line.to), 'positive')
        await self.load()
