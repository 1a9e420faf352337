"""Stable hooks for tests: the `data-testid` attribute for browsers, and a NiceGUI marker for the User fixture."""

from typing import TypeVar

from nicegui import ui

E = TypeVar('E', bound=ui.element)


def testid(element: E, name: str) -> E:
    element.props(f'data-testid={name}')
    element.mark(name)
    return element
