"""Run a service from a page without blocking the event loop, and show its refusals where they belong."""

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from nicegui import run, ui

from services.errors import ClinicError, SessionEnded

from .notices import popup

R = TypeVar('R')


async def call(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Call a (blocking) service function in a worker thread; a browser whose account was ended is signed out."""
    try:
        boxed = await run.io_bound(_boxed, fn, *args, **kwargs)
    except SessionEnded:
        ui.navigate.to('/logout')
        raise
    if boxed is None:  # NiceGUI 3 signals a cancelled call or a stopping app this way; 4.0 will raise instead
        raise asyncio.CancelledError
    result: R = boxed[0]
    return result


async def call_and_tell(anchor: ui.element, done: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Call a service and pop up `done`, or its refusal as a warning; return whether it was done.

    The popup is shown from `anchor`, which outlives the list row whose button started the call (the live update
    may already have deleted that row).
    """
    try:
        await call(fn, *args, **kwargs)
    except ClinicError as error:
        with anchor:
            popup(error.message, 'warning')
        return False
    with anchor:
        popup(done, 'positive')
    return True


def _boxed(fn: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[R]:
    return (fn(*args, **kwargs),)


def show_error(error: ClinicError, fields: Mapping[str, Any], *, fallback: Any = None) -> None:
    """Put a service's message next to its field, or in a popup when no field fits."""
    target = fields.get(error.field or '') if error.field else None
    if target is not None and hasattr(target, 'error'):
        target.error = error.message
    elif fallback is not None:
        fallback.set_text(error.message)
        fallback.visible = True
    else:
        popup(error.message, 'warning')


def clear_errors(fields: Mapping[str, Any], *, fallback: Any = None) -> None:
    for element in fields.values():
        if hasattr(element, 'error'):
            element.error = None
    if fallback is not None:
        fallback.set_text('')
        fallback.visible = False
