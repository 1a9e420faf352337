"""The API tokens card on /profile: make a named token (read and write unless the person picks read only), see it once
(`token-value`), and revoke any of them (`token-row`, `token-revoke`). The API acts as the token's owner."""

from nicegui import ui

from models import TokenScope
from services.api_tokens import TokenInfo, create_token, revoke_token, tokens_of
from services.clinic import Clinic
from services.errors import ClinicError
from services.read_models.values import Person

from ..language import N_, _, when_words
from .calls import call, call_and_tell, clear_errors, show_error
from .headings import heading
from .hooks import testid
from .theme import LIST_ROW

SCOPES = {TokenScope.write.value: N_('Read and write'), TokenScope.read.value: N_('Read only')}


class ApiTokenCard:
    def __init__(self, clinic: Clinic, person: Person) -> None:
        self.clinic, self.person = clinic, person
        with ui.card().classes('w-full max-w-md gap-3') as card:
            self.card = card
            heading(_('API tokens'), 2).classes('text-lg font-semibold m-0')
            ui.label(
                _(
                    'A token lets another program use the clinic on your behalf, through the API (/api/v1/docs): it '
                    'can do what you can. Keep it secret; revoke it when it is no longer needed.'
                )
            ).classes('text-sm text-grey-8')
            with ui.row().classes('w-full gap-2 no-wrap items-start'):
                self.name = testid(
                    ui.input(_('Name (what uses it)')).props('outlined dense maxlength=80'), 'token-name'
                )
                self.name.classes('grow')
                self.scope = testid(
                    ui.select(
                        {value: _(words) for value, words in SCOPES.items()},
                        value=TokenScope.write.value,
                        label=_('Scope'),
                    ).props('outlined dense'),
                    'token-scope',
                )
            testid(ui.button(_('Make a token'), icon='key', on_click=self._create), 'token-create')
            self.value = testid(ui.input(_('Your new token')).props('outlined readonly'), 'token-value').classes(
                'w-full'
            )
            self.value.visible = False
            self.once = ui.label(_('Copy it now: it is shown only this once.')).classes('text-sm text-grey-8')
            self.once.visible = False
            self.rows = ui.column().classes('w-full gap-1')

    async def load(self) -> None:
        try:
            tokens = await call(tokens_of, self.clinic, actor_id=self.person.id)
        except ClinicError:
            return
        self.rows.clear()
        with self.rows:
            for token in tokens:
                self._row(token)

    def _row(self, token: TokenInfo) -> None:
        with testid(ui.row(), 'token-row').classes(LIST_ROW):
            with ui.column().classes('grow gap-0'):
                ui.label(token.name).classes('font-medium')
                made = when_words(token.created_at, self.clinic.tz)
                scope = _(SCOPES[token.scope.value])
                ui.label(_('{scope} · made {when}', scope=scope, when=made)).classes('text-sm text-grey-8')
            testid(
                ui.button(_('Revoke'), icon='block', on_click=lambda t=token: self._revoke(t)).props(
                    'flat dense no-caps color=negative'
                ),
                'token-revoke',
            )

    async def _create(self) -> None:
        fields = {'token_name': self.name}
        clear_errors(fields)
        try:
            _token, secret = await call(
                create_token,
                self.clinic,
                actor_id=self.person.id,
                name=self.name.value or '',
                scope=TokenScope(self.scope.value),
            )
        except ClinicError as error:
            show_error(error, fields)
            return
        self.value.value, self.value.visible, self.once.visible = secret, True, True
        self.name.value = ''
        await self.load()

    async def _revoke(self, token: TokenInfo) -> None:
        done = _('Revoked "{name}": requests with it are refused from now on.', name=token.name)
        if await call_and_tell(self.card, done, revoke_token, self.clinic, actor_id=self.person.id, token_id=token.id):
            self.value.visible = self.once.visible = False
            await self.load()
