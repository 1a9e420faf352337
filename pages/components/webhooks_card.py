"""The front desk's webhooks on /admin: register an address with the events it wants (its signing secret shown once),
remove one, and read the newest deliveries with the endpoint's answers, resending any that was delivered or failed."""

from nicegui import ui

from models import DeliveryStatus
from services.clinic import Clinic
from services.errors import ClinicError, InvalidInputs
from services.local_time import format_when
from services.read_models.values import Person
from services.webhooks import EVENTS, DeliveryLine, EndpointInfo, add_endpoint, remove_endpoint, resend, webhooks_view

from .calls import call, call_and_tell, clear_errors, show_error
from .confirm import confirm
from .hooks import testid
from .theme import LIST_ROW

_BADGES = {
    DeliveryStatus.pending: ('Waiting', 'grey-8'),
    DeliveryStatus.sending: ('Sending', 'primary'),
    DeliveryStatus.delivered: ('Delivered', 'positive'),
    DeliveryStatus.failed: ('Failed', 'negative'),
}


class WebhooksCard:
    def __init__(self, clinic: Clinic, actor: Person) -> None:
        self.clinic, self.actor = clinic, actor
        with ui.expansion('Webhooks', icon='webhook', value=False).classes('w-full border rounded') as card:
            self.card = card
            ui.label(
                "Tell the clinic's other systems of changes as they happen: each event is posted as JSON to the "
                'address, signed with its secret (header Clinic-Signature), and tried again for a day until it is '
                'taken. Only trusted addresses get the reasons and notes people wrote.'
            ).classes('text-sm text-grey-8')
            with ui.column().classes('w-full gap-2'):
                self.url = testid(
                    ui.input('Address (https://...)').props('outlined dense maxlength=500'), 'webhook-url'
                ).classes('w-full')
                self.events = testid(
                    ui.select(EVENTS, multiple=True, value=list(EVENTS), label='Events').props(
                        'outlined dense use-chips'
                    ),
                    'webhook-events',
                ).classes('w-full')
                self.trusted = testid(ui.checkbox('Trusted: may receive reasons and notes'), 'webhook-trusted')
                testid(ui.button('Add endpoint', icon='add_link', on_click=self._add), 'webhook-add')
                self.secret = testid(
                    ui.input('Its signing secret').props('outlined readonly'), 'webhook-secret'
                ).classes('w-full')
                self.secret.visible = False
                self.once = ui.label('Copy it now: it is shown only this once.').classes('text-sm text-grey-8')
                self.once.visible = False
            self.endpoints = ui.column().classes('w-full gap-1')
            with ui.row().classes('w-full items-center justify-between'):
                ui.label('Recent deliveries').classes('font-medium')
                testid(ui.button('Refresh', icon='refresh', on_click=self.load).props('flat dense'), 'webhook-refresh')
            self.deliveries = ui.column().classes('w-full gap-1')

    async def load(self) -> None:
        view = await call(webhooks_view, self.clinic, actor_id=self.actor.id)
        self.endpoints.clear()
        with self.endpoints:
            if not view.endpoints:
                ui.label('No endpoint yet.').classes('text-grey-8')
            for endpoint in view.endpoints:
                self._endpoint_row(endpoint)
        self.deliveries.clear()
        with self.deliveries:
            if not view.deliveries:
                ui.label('Nothing sent yet.').classes('text-grey-8')
            for line in view.deliveries:
                self._delivery_row(line)

    def _endpoint_row(self, endpoint: EndpointInfo) -> None:
        with testid(ui.row(), 'webhook-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0 min-w-0'):
                ui.label(endpoint.url).classes('font-medium break-all')
                events = ', '.join(EVENTS[event] for event in endpoint.events if event in EVENTS)
                trust = ' · trusted' if endpoint.trusted else ''
                ui.label(f'{events}{trust}').classes('text-sm text-grey-8')
            testid(
                ui.button('Remove', icon='link_off', on_click=lambda e=endpoint: self._remove(e)).props(
                    'flat dense no-caps color=negative'
                ),
                'webhook-remove',
            )

    def _delivery_row(self, line: DeliveryLine) -> None:
        word, color = _BADGES[line.status]
        with testid(ui.row(), 'webhook-delivery-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0 min-w-0'):
                ui.label(f'{EVENTS.get(line.event, line.event)} · {line.endpoint_url}').classes('font-medium break-all')
                when = line.last_attempt_at or line.created_at
                detail = f'{format_when(when, self.clinic.tz)} · {line.attempts} attempt(s)'
                if line.response_status is not None:
                    detail += f' · HTTP {line.response_status}'
                if line.error and line.response_status is None:
                    detail += f' · {line.error}'
                if line.status is DeliveryStatus.pending and line.attempts:
                    detail += f' · next try {format_when(line.next_attempt_at, self.clinic.tz)}'
                ui.label(detail).classes('text-sm text-grey-8')
                if line.response_excerpt:
                    ui.label(f'Answer: {line.response_excerpt[:200]}').classes('text-xs text-grey-8 break-all')
            testid(ui.badge(word, color=color), 'webhook-delivery-status')
            if line.can_resend:
                testid(
                    ui.button('Resend', icon='replay', on_click=lambda d=line: self._resend(d)).props(
                        'flat dense no-caps'
                    ),
                    'webhook-resend',
                )

    async def _add(self) -> None:
        fields = {'webhook_url': self.url, 'webhook_events': self.events}
        clear_errors(fields)
        try:
            _, secret = await call(
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
        text = f'Nothing more is sent to {endpoint.url}, and what still waits for it is given up.'
        if await confirm('Remove this endpoint?', text, 'Remove endpoint', back='Keep it') is None:
            return
        done = f'Removed {endpoint.url}: nothing more is sent to it.'
        if await call_and_tell(
            self.card, done, remove_endpoint, self.clinic, actor_id=self.actor.id, endpoint_id=endpoint.id
        ):
            self.secret.visible = self.once.visible = False
        await self.load()

    async def _resend(self, line: DeliveryLine) -> None:
        done = f'{EVENTS.get(line.event, line.event)} will be sent to {line.endpoint_url} again.'
        await call_and_tell(self.card, done, resend, self.clinic, actor_id=self.actor.id, delivery_id=line.id)
        await self.load()
