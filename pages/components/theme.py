"""Colours and sizes in one place."""

from nicegui import app, ui

BRAND = '#0f766e'
PAGE_WIDTH = 'max-w-4xl'
NOTIFY_SECONDS = 6


def apply_theme() -> None:
    """Set the clinic's colours and button style for every page (call once at start-up)."""
    app.colors(
        primary=BRAND, secondary='#475569', accent='#0ea5e9', positive='#15803d', negative='#b91c1c', slot='#e0f2f1'
    )
    ui.button.default_props('no-caps')  # sentence-case buttons read calmer than all-caps


LIST_ROW = 'w-full items-center gap-3 py-2 border-b border-gray-200'  # one appointment, period or doctor
