"""The garbage collector's young generation, kept small by the clock instead of by its allocation count.

CPython collects the young generation when allocations minus deallocations pass a threshold. Each page that closes
frees thousands of long-lived objects, and every one of those frees counts against that number, so while visitors
come and go the young generation grows far past its threshold without being collected. The next change's burst of
allocations then sets off a collection over it, and a middle one after that: at 1000 open booking pages with pages
arriving and leaving, a 90-120 ms pause inside the change, for every browser watching (`python -m bench`, the
"arriving" scenario). Looking every quarter of a second at the young generation's real size, and collecting it when it
has outgrown the threshold, keeps those collections small and mostly between changes.
"""

import asyncio
import contextlib
import gc

from .websocket import MIDDLE_COLLECTION_EVERY, YOUNG_COLLECTION_EVERY

LOOK_EVERY = 0.25  # seconds


class YoungGarbage:
    def __init__(self, every: float = LOOK_EVERY, limit: int = YOUNG_COLLECTION_EVERY) -> None:
        self.every, self.limit = every, limit
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start looking (on the running event loop); once, however often it is called."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._look_regularly(), name='young garbage')

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def sweep(self) -> int | None:
        """Collect the young generation if it holds more than `limit` objects (with the middle one when its turn has
        come, as CPython would); returns the generation collected, or None."""
        if len(gc.get_objects(generation=0)) <= self.limit:
            return None
        generation = 1 if gc.get_count()[1] >= MIDDLE_COLLECTION_EVERY else 0
        gc.collect(generation)
        return generation

    async def _look_regularly(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            self.sweep()
