"""The bell in the header: unread count, the latest messages, mark as read; new ones pop up live."""

from nicegui import ui

from services.clinic import Clinic
from services.errors import ClinicError
from services.live.boards import LiveBoards
from services.live.events import InboxChanged
from services.live.shared_views import Update
from services.local_time import format_when
from services.notifications import mark_read
from services.read_models.values import Inbox, Person

from .calls import call
from .follow import Follower
from .hooks import testid
from .notices import popup


class NotificationBell:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person) -> None:
        self.clinic, self.boards, self.person = clinic, boards, person
        with testid(ui.button(icon='notifications'), 'notification-bell').props(
            f'flat round dense color=white aria-label="{_name(0)}"'
        ) as self.button:
            self.badge = testid(ui.badge('', color='negative').props('floating rounded'), 'notification-count')
            self.badge.visible = False
            # a panel of messages and buttons, not a menu of choices: Quasar's role=menu wants menuitems only
            with ui.menu().classes('max-w-sm').props('role=dialog aria-label=Notifications'):
                self.items = ui.column().classes('p-3 gap-2 w-80').mark('notification-list')
        self.follower: Follower[int, Inbox] = Follower(self._on_update, anchor=self.button)
        ui.timer(0, self._start, once=True)

    async def _start(self) -> None:
        inbox = await self.follower.follow(self.boards.inboxes, self.person.id)
        if inbox is not None:
            self.show(inbox)

    def show(self, inbox: Inbox) -> None:
        self.badge.set_text(str(inbox.unread))
        self.badge.visible = inbox.unread > 0
        self.button.props(f'aria-label="{_name(inbox.unread)}"')  # holds the badge's number, as the eye sees it
        self.items.clear()
        with self.items:
            with ui.row().classes('w-full items-center justify-between'):
                ui.label('Notifications').classes('font-medium')
                if inbox.unread:
                    testid(
                        ui.button('Mark all as read', on_click=lambda: self._read(None)).props('flat dense size=sm'),
                        'notifications-mark-read',
                    )
            if not inbox.messages:
                ui.label('Nothing yet.').classes('text-grey-8 text-sm')
            for message in inbox.messages:
                with testid(ui.column(), 'notification-item').classes('w-full gap-0 border-b border-gray-200 pb-1'):
                    ui.label(message.text).classes('text-sm' if message.read else 'text-sm font-semibold')
                    with ui.row().classes('w-full items-center justify-between'):
                        ui.label(format_when(message.created_at, self.clinic.tz)).classes('text-xs text-grey-7')
                        if not message.read:
                            ui.button('Mark read', on_click=lambda m=message.id: self._read(m)).props(
                                'flat dense size=sm'
                            )

    def _on_update(self, update: Update[Inbox]) -> None:
        self.show(update.value)
        if isinstance(update.event, InboxChanged) and update.event.message:
            popup(update.event.message, 'info', seconds=10)

    async def _read(self, notification_id: int | None) -> None:
        try:
            await call(mark_read, self.clinic, actor_id=self.person.id, notification_id=notification_id)
        except ClinicError as error:
            with self.button:
                popup(error.message, 'warning')


def _name(unread: int) -> str:
    return f'Notifications, {unread} unread' if unread else 'Notifications'
