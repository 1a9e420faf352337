"""Open pages that have nothing to send cost the server nothing: no timer or task per page while idle.

NiceGUI's page outbox waited for its next message with a one-second timeout; with a thousand open pages that was a
thousand timers and tasks a second, enough churn to fill the garbage collector's middle generation until one of its
collections stalled a change (`services/live/websocket.py::quiet_idle_outboxes`). That idle pages still send at once
when something changes is what every browser test sees.
"""

import asyncio

from nicegui import Client

from tests.ui.conftest import next_monday, open_day, sign_in
from tests.waiting import until


def _waiting_with_a_timeout() -> list[asyncio.TimerHandle]:
    """The event loop's timers that end a wait (asyncio.wait_for's, before and after Python 3.12)."""
    timers = asyncio.get_running_loop()._scheduled  # type: ignore[attr-defined]
    names = (getattr(timer._callback, '__qualname__', '') for timer in timers)
    ending = ('_release_waiter', 'Timeout._on_timeout')
    return [timer for timer, name in zip(timers, names, strict=True) if name in ending]


def _idle(client: Client) -> bool:
    return not client.outbox.updates and not client.outbox.messages


async def test_idle_booking_pages_keep_no_timers(browser):
    day = next_monday()
    patients = []
    for email in ('maria.lopez@mail.example', 'james.lee@mail.example'):
        patient = browser()
        await sign_in(patient, email)
        await open_day(patient, day)
        patients.append(patient)
    await until(lambda: all(_idle(p.client) for p in patients))
    await asyncio.sleep(0)  # every outbox is back in its wait for the next message
    assert _waiting_with_a_timeout() == []
