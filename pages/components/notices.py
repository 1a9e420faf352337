"""Popups, all alike: top of the screen, long enough to read, one per event (never merged into a counter)."""

from typing import Literal

from nicegui import ui

from .theme import NOTIFY_SECONDS

Kind = Literal['positive', 'negative', 'warning', 'info']


def popup(message: str, kind: Kind = 'info', *, seconds: float = NOTIFY_SECONDS) -> None:
    ui.notify(message, type=kind, position='top', timeout=int(seconds * 1000), group=False, close_button=False)
