"""Inside a benchmark server: every full garbage collection the server runs by itself, and how long it stopped it.

Nothing here (nor anywhere in the servers) forces a collection: the benchmark measures the servers as shipped, and
reads these counters before and after each change to see the full collections that fell inside it.
"""

import gc
import time
from collections import deque
from typing import Any

KEPT = 1000  # the most recent pauses kept (the count goes on past it)


class FullCollections:
    def __init__(self) -> None:
        self.count = 0
        self.longest_ms = 0.0
        self.pauses_ms: deque[float] = deque(maxlen=KEPT)
        self.middle_count = 0  # collections of the middle generation (they scan the two younger ones)
        self.longest_middle_ms = 0.0
        self._started = 0.0
        gc.callbacks.append(self._observe)

    def _observe(self, phase: str, info: dict[str, Any]) -> None:
        if phase == 'start':
            self._started = time.perf_counter()
        elif info['generation'] == 1:
            self.middle_count += 1
            self.longest_middle_ms = max(self.longest_middle_ms, (time.perf_counter() - self._started) * 1000)
        elif info['generation'] == 2:
            pause = (time.perf_counter() - self._started) * 1000
            self.count += 1
            self.longest_ms = max(self.longest_ms, pause)
            self.pauses_ms.append(round(pause, 1))

    def stats(self) -> dict[str, Any]:
        """`full_gc_pauses_ms` holds the last pauses in order, the last one being collection number `full_gcs`."""
        return {
            'full_gcs': self.count,
            'longest_full_gc_ms': round(self.longest_ms, 1),
            'full_gc_pauses_ms': list(self.pauses_ms),
            'middle_gcs': self.middle_count,
            'longest_middle_gc_ms': round(self.longest_middle_ms, 1),
        }
