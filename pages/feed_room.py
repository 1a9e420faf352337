"""The listeners of the API's live feed of free times in this process: at most so many in all and from one address
(a public feed is open to anyone, so without a cap a script could hold connections until memory runs out), and each
day's list written out once per change for all who listen to it, not once per listener."""

import weakref
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar('T')


class FeedRoom:
    def __init__(self, *, most: int, per_address: int) -> None:
        self.most, self.per_address = most, per_address
        self.listening = 0
        self.by_address: Counter[str] = Counter()
        self._written: dict[Hashable, tuple[object, str]] = {}  # key -> (the list it was written from, the text)
        self._keys: Counter[Hashable] = Counter()

    def admit(self, address: str) -> bool:
        """Count a new listener from `address` in, if there is room (then `leave` must follow, once)."""
        if self.listening >= self.most or self.by_address[address] >= self.per_address:
            return False
        self.listening += 1
        self.by_address[address] += 1
        return True

    def leave(self, address: str) -> None:
        self.listening -= 1
        self.by_address[address] -= 1
        if self.by_address[address] <= 0:
            del self.by_address[address]

    def leave_unless_started(self, response: Any, address: str, started: Callable[[], bool]) -> None:
        """Let the listener go when its response is dropped without its stream ever starting (the client left before
        the first byte), as the stream's own end would have."""
        weakref.finalize(response, lambda: None if started() else self.leave(address))

    def text(self, key: Hashable, value: T, write: Callable[[T], str]) -> str:
        """The text of `value` for `key`, written once for all listeners to that key while the value is the same."""
        written = self._written.get(key)
        if written is not None and written[0] is value:
            return written[1]
        text = write(value)
        if self._keys[key]:
            self._written[key] = (value, text)
        return text

    def follow(self, key: Hashable) -> None:
        self._keys[key] += 1

    def unfollow(self, key: Hashable) -> None:
        self._keys[key] -= 1
        if self._keys[key] <= 0:
            del self._keys[key]
            self._written.pop(key, None)
