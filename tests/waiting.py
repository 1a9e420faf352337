"""Waiting for a condition in async tests: checked often, failing after a timeout (never a bare sleep)."""

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], object], timeout: float = 5.0, every: float = 0.002) -> None:
    """Wait until `condition()` is true, checking every `every` seconds; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError('condition not met in time')
        await asyncio.sleep(every)
