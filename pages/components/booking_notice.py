"""The line under the free times that says what just happened: booked, refused, or the picked time went away."""

from datetime import datetime

from nicegui import ui

from .notices import Kind, popup


class BookingNotice:
    def __init__(self) -> None:
        self.label = ui.label().classes('text-warning font-medium').mark('booking-notice')
        self.label.visible = False
        self.gone: datetime | None = None  # the picked time the notice says went away

    def tell(self, message: str, kind: Kind = 'warning', *, quiet: bool = False, gone: datetime | None = None) -> None:
        """Say `message` here (a warning pops up too, unless quiet); `gone` is the time it says went away."""
        self.gone = gone  # a new message replaces what was said about a gone time
        self.label.set_text(message)
        self.label.classes(replace=f'text-{kind} font-medium')
        self.label.visible = True
        if kind == 'warning' and not quiet:
            popup(message, 'warning')

    def hide(self) -> None:
        self.label.visible = False
        self.gone = None
