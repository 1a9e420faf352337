"""The "arriving" scenario's trickle: new booking pages keep opening while the changes happen, each on a doctor and
day other than the watched one (the days the bystanders show, so no new slot computation is due to them), staying
open a while, then closing, as visitors come and go."""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .browsers import Browser

RATE = 3.0  # new pages per second
LIFETIME = 10.0  # seconds each stays open
LOADED = 1.0  # seconds after its socket connected when a page's own loading messages are over (the app sends a
# bell update and the address bar's replaceState some 80 ms after the connect): only pages open this long are
# bystanders whose messages count against a change


class Arrivals:
    def __init__(
        self,
        make: Callable[[int], Browser],
        open_page: Callable[[Browser], Awaitable[None]],
        rate: float = RATE,
        lifetime: float = LIFETIME,
    ) -> None:
        self._make, self._open_page, self.rate, self.lifetime = make, open_page, rate, lifetime
        self.open: list[Browser] = []  # fully opened (socket connected) and not yet gone
        self._opened_at: dict[int, float] = {}
        self.opened = self.failed = 0
        self._task: asyncio.Task[None] | None = None
        self._visits: set[asyncio.Task[Any]] = set()

    def loaded(self) -> list[Browser]:
        """The open pages whose own loading is over."""
        now = time.monotonic()
        return [page for page in self.open if now - self._opened_at.get(id(page), now) >= LOADED]

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """No more arrivals; the pages still open close now."""
        tasks = [self._task, *self._visits] if self._task else list(self._visits)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for page in self.open:
            await page.close()
        self.open.clear()
        self._opened_at.clear()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        at, index = loop.time(), 0
        while True:
            visit = asyncio.create_task(self._visit(index))
            self._visits.add(visit)
            visit.add_done_callback(self._visits.discard)
            index += 1
            at += 1 / self.rate
            await asyncio.sleep(max(0.0, at - loop.time()))

    async def _visit(self, index: int) -> None:
        page = self._make(index)
        try:
            await self._open_page(page)
        except asyncio.CancelledError:
            await page.close()
            raise
        except Exception:  # counted and reported: a page the server could not open in time
            self.failed += 1
            await page.close()
            return
        self.opened += 1
        self.open.append(page)
        self._opened_at[id(page)] = time.monotonic()
        await asyncio.sleep(self.lifetime)
        self.open.remove(page)
        del self._opened_at[id(page)]
        await page.close()
