"""The bell in the header: unread count, the latest messages, mark as read; new ones pop up live.

The browser draws it inside the header's row (`ClinicBar`); this side follows the person's inbox and says what to
draw."""

from nicegui import ui

from models import Role
from services.clinic import Clinic
from services.errors import ClinicError
from services.live.boards import LiveBoards
from services.live.events import InboxChanged
from services.live.shared_views import Update
from services.notifications import mark_read
from services.read_models.values import Inbox, Person

from ..language import when_words
from .calls import call
from .clinic_bar import ClinicBar
from .follow import Follower
from .notices import popup
from .offer_prompt import OfferPrompt


class NotificationBell:
    def __init__(self, clinic: Clinic, boards: LiveBoards, person: Person, bar: ClinicBar) -> None:
        self.clinic, self.boards, self.person, self.bar = clinic, boards, person, bar
        self.follower: Follower[int, Inbox] = Follower(self._on_update, anchor=bar)
        self.offers = OfferPrompt(clinic, person, bar) if person.role is Role.patient else None
        ui.timer(0, self._start, once=True)

    async def _start(self) -> None:
        inbox = await self.follower.follow(self.boards.inboxes, self.person.id)
        if inbox is not None:
            self.show(inbox)

    def show(self, inbox: Inbox) -> None:
        self.bar.show_inbox(inbox, lambda at: when_words(at, self.clinic.tz))
        if self.offers is not None:
            self.offers.seen(inbox)

    def _on_update(self, update: Update[Inbox]) -> None:
        self.show(update.value)
        if isinstance(update.event, InboxChanged) and update.event.message:
            popup(update.event.message, 'info', seconds=10)

    async def read(self, notification_id: int | None) -> None:
        try:
            await call(mark_read, self.clinic, actor_id=self.person.id, notification_id=notification_id)
        except ClinicError as error:
            with self.bar:
                popup(error.message, 'warning')
