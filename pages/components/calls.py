"""Run a service from a page without blocking the event loop, and show its refusals where they belong.

A page built for a signed-in person names a check (`check_before_each_call`) that runs before each of its services,
in the same worker thread: an action from a tab whose browser signed out meanwhile is refused, whenever the page
was built.
"""

import asyncio
import inspect
import weakref
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar, overload

from nicegui import Client, app, run, ui

from services.errors import ClinicError, SessionEnded

from .notices import popup

R = TypeVar('R')

_CHECK = 'check before each call'  # in the page's own storage, which ends with the page


def check_before_each_call(check: Callable[[], None]) -> None:
    """Run `check` before every later service call of this page, in the call's worker thread; it raises to refuse."""
    app.storage.client[_CHECK] = check


@overload
async def call(fn: Callable[..., Awaitable[R]], *args: Any, **kwargs: Any) -> R: ...
@overload
async def call(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R: ...


async def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a (blocking) service function in a worker thread; a browser whose sign-in ended is signed out.

    A coroutine function (a page's own step, such as handing a signed-in browser its new id) is awaited here.
    """
    if inspect.iscoroutinefunction(fn):
        return await fn(*args, **kwargs)
    check = app.storage.client.get(_CHECK)
    try:
        boxed = await run.io_bound(_boxed, check, fn, *args, **kwargs)
    except SessionEnded:
        sign_out_here()
        raise
    if boxed is None:  # NiceGUI 3 signals a cancelled call or a stopping app this way; 4.0 will raise instead
        raise asyncio.CancelledError
    return boxed[0]


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


def _boxed(check: Callable[[], None] | None, fn: Callable[..., R], *args: Any, **kwargs: Any) -> tuple[R]:
    if check is not None:
        check()
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


# Tabs on their way to /logout: the sign-out they start sends this browser's other tabs to sign-in, but not them (that
# message could overtake the sign-out's own answer, so the browser would land on sign-in keeping its old cookie).
LEAVING_TO_SIGN_OUT: weakref.WeakSet[Client] = weakref.WeakSet()


def sign_out_here() -> None:
    """Sign this browser out: this tab goes to /logout, which ends its sign-in and gives the browser a new id."""
    LEAVING_TO_SIGN_OUT.add(ui.context.client)
    ui.navigate.to('/logout')
