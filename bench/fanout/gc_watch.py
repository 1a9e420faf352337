"""Inside a benchmark server: how often full garbage collections ran and how long the longest one stopped it."""

import gc
import time
from typing import Any


class FullCollections:
    def __init__(self) -> None:
        self.count = 0
        self.longest_ms = 0.0
        self._started = 0.0
        gc.callbacks.append(self._observe)

    def _observe(self, phase: str, info: dict[str, Any]) -> None:
        if phase == 'start':
            self._started = time.perf_counter()
        elif info['generation'] == 2:
            self.count += 1
            self.longest_ms = max(self.longest_ms, (time.perf_counter() - self._started) * 1000)

    def collect_now(self) -> dict[str, float]:
        """A full collection on request, so that changes are measured in steady state, not in the pause that
        follows a growing audience (that pause is reported on its own, as `longest_full_gc_ms`)."""
        started = time.perf_counter()
        collected = gc.collect()
        return {'collected': collected, 'ms': round((time.perf_counter() - started) * 1000, 1)}

    def stats(self) -> dict[str, float]:
        return {'full_gcs': self.count, 'longest_full_gc_ms': round(self.longest_ms, 1)}
