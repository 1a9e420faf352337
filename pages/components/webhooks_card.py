"""The front desk's webhooks on /admin: register an address with the events it wants (its signing secret shown once),
remove one, and read the newest deliveries with the endpoint's answers, resending any that was delivered or failed."""

from nicegui import ui

from models import DeliveryStatus
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.read_models.values import Person
from services.webhooks import EVENTS, DeliveryLine, EndpointInfo, add_endpoint, remove_endpoint, resend, webhooks_view

from ..language import N_, _, ngettext, pgettext, when_words
from .calls import call, call_and_tell, clear_errors, show_error
from .confirm import confirm
from .hooks import testid
from .theme import LIST_ROW

_BADGES = {  # words translated where shown
    DeliveryStatus.pending: (N_('Waiting'), 'grey-8'),
    DeliveryStatus.sending: (N_('Sending'), 'primary'),
    DeliveryStatus.delivered: (N_('Delivered'), 'positive'),
    DeliveryStatus.failed: (N_('Failed'), 'negative'),
}


class WebhooksCard:
    def __init__(self, clinic: Clinic, actor: Person) -> None:
        self.clinic, self.actor = clinic, actor
        with ui.expansion(_('Webhooks'), icon='webhook', value=False).classes('w-full border rounded') as card:
            self.card = card
            ui.label(
                _(
                    "Tell the clinic's other systems of changes as they happen: each event is posted as JSON to the "
                    'address, signed with its secret (header Clinic-Signature), and tried again for a day until it is '
                    'taken. Only trusted addresses get the reasons and notes people wrote.'
                )
            ).classes('text-sm text-grey-8')
            with ui.column().classes('w-full gap-2'):
                self.url = testid(
                    ui.input(_('Address (https://...)')).props('outlined dense maxlength=500'), 'webhook-url'
                ).classes('w-full')
                self.events = testid(
                    ui.select(
                        {event: _(words) for event, words in EVENTS.items()},
                        multiple=True,
                        value=list(EVENTS),
                        label=_('Events'),
                    ).props('outlined dense use-chips'),
                    'webhook-events',
                ).classes('w-full')
                self.trusted = testid(ui.checkbox(_('Trusted: may receive reasons and notes')), 'webhook-trusted')
                testid(ui.button(_('Add endpoint'), icon='add_link', on_click=self._add), 'webhook-add')
                self.secret = testid(
                    ui.input(_('Its signing secret')).props('outlined readonly'), 'webhook-secret'
                ).classes('w-full')
                self.secret.visible = False
                self.once = ui.label(_('Copy it now: it is shown only this once.')).classes('text-sm text-grey-8')
                self.once.visible = False
            self.endpoints = ui.column().classes('w-full gap-1')
            with ui.row().classes('w-full items-center justify-between'):
                ui.label(_('Recent deliveries')).classes('font-medium')
                testid(
                    ui.button(_('Refresh'), icon='refresh', on_click=self.load).props('flat dense'), 'webhook-refresh'
                )
            self.deliveries = ui.column().classes('w-full gap-1')

    async def load(self) -> None:
        view = await call(webhooks_view, self.clinic, actor_id=self.actor.id)
        self.endpoints.clear()
        with self.endpoints:
            if not view.endpoints:
                ui.label(_('No endpoint yet.')).classes('text-grey-8')
            for endpoint in view.endpoints:
                self._endpoint_row(endpoint)
        self.deliveries.clear()
        with self.deliveries:
            if not view.deliveries:
                ui.label(_('Nothing sent yet.')).classes('text-grey-8')
            for line in view.deliveries:
                self._delivery_row(line)

    def _endpoint_row(self, endpoint: EndpointInfo) -> None:
        with testid(ui.row(), 'webhook-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0 min-w-0'):
                ui.label(endpoint.url).classes('font-medium break-all')
                events = ', '.join(_(EVENTS[event]) for event in endpoint.events if event in EVENTS)
                ui.label(_('{events} · trusted', events=events) if endpoint.trusted else events).classes(
                    'text-sm text-grey-8'
                )
            testid(
                ui.button(_('Remove'), icon='link_off', on_click=lambda e=endpoint: self._remove(e)).props(
                    'flat dense no-caps color=negative'
                ),
                'webhook-remove',
            )

    def _delivery_row(self, line: DeliveryLine) -> None:
        word, color = _BADGES[line.status]
        with testid(ui.row(), 'webhook-delivery-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0 min-w-0'):
                ui.label(f'{_event_words(line.event)} · {line.endpoint_url}').classes('font-medium break-all')
                when = line.last_attempt_at or line.created_at
                attempts = ngettext('{count} attempt(s)', '{count} attempt(s)', line.attempts)
                detail = f'{when_words(when, self.clinic.tz)} · {attempts}'
                if line.response_status is not None:
                    detail += f' · HTTP {line.response_status}'
                if line.error and line.response_status is None:
                    detail += f' · {_(line.error)}'
                if line.status is DeliveryStatus.pending and line.attempts:
                    next_try = _('next try {when}', when=when_words(line.next_attempt_at, self.clinic.tz))
                    detail += f' · {next_try}'
                ui.label(detail).classes('text-sm text-grey-8')
                if line.response_excerpt:
                    ui.label(_('Answer: {answer}', answer=line.response_excerpt[:200])).classes(
                        'text-xs text-grey-8 break-all'
                    )
            testid(ui.badge(_(word), color=color), 'webhook-delivery-status')
            if line.can_resend:
                testid(
                    ui.button(_('Resend'), icon='replay', on_click=lambda d=line: self._resend(d)).props(
                        'flat dense no-caps'
                    ),
                    'webhook-resend',
                )

    async def _add(self) -> None:
        fields = {'webhook_url': self.url, 'webhook_events': self.events}
        clear_errors(fields)
        try:
            _endpoint, secret = await call(
                add_endpoint,
                self.clinic,
                actor_id=self.actor.id,
                url=self.url.value or '',
                events=list(self.events.value or []),
                trusted=bool(self.trusted.value),
            )
        except InvalidInputs as errors:
            for problem in errors.problems:
                show_error(problem, fields)
            return
        except ClinicError as error:
            show_error(error, fields)
            return
        self.secret.value, self.secret.visible, self.once.visible = secret, True, True
        self.url.value, self.trusted.value = '', False
        await self.load()

    async def _remove(self, endpoint: EndpointInfo) -> None:
        text = _('Nothing more is sent to {url}, and what still waits for it is given up.', url=endpoint.url)
        if (
            await confirm(
                _('Remove this endpoint?'), text, _('Remove endpoint'), back=pgettext('an endpoint', 'Keep it')
            )
            is None
        ):
            return
        done = _('Removed {url}: nothing more is sent to it.', url=endpoint.url)
        if await call_and_tell(
            self.card, done, remove_endpoint, self.clinic, actor_id=self.actor.id, endpoint_id=endpoint.id
        ):
            self.secret.visible = self.once.visible = False
        await self.load()

    async def _resend(self, line: DeliveryLine) -> None:
        done = _('{event} will be sent to {url} again.', event=_event_words(line.event), url=line.endpoint_url)
        await call_and_tell(self.card, done, resend, self.clinic, actor_id=self.actor.id, delivery_id=line.id)
        await self.load()


def _event_words(event: str) -> str:
    """How the front desk reads an event ('Appointment booked'), in the page's language; an unknown one as it is."""
    return _(EVENTS[event]) if event in EVENTS else event
