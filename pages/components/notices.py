"""Popups, all alike: top of the screen, long enough to read, one per event (never merged into a counter)."""

from nicegui import ui

from .theme import NOTIFY_SECONDS


def popup(message: str, kind: str = 'info', *, seconds: float = NOTIFY_SECONDS) -> None:
    ui.notify(message, type=kind, position='top', timeout=int(seconds * 1000), group=False, close_button=False)
