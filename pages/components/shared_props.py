"""Props that many pages show alike, given to their elements as one JSON text made once.

NiceGUI copies a dict or a list put into an element's props into observable collections of that element's own, on
every page, and keeps them as long as the page is open; a str is kept as it is. So a value that many open pages show
the same (the free times of a watched day, a language's words) goes into the props as JSON text made once and shared
by all of them, and the element's browser code parses it (`docs/PERFORMANCE.md`, "Memory").
"""

import json
from collections.abc import Hashable, Mapping
from functools import lru_cache
from typing import Any

from services.i18n import translate


def as_json(value: Any) -> str:
    """`value` as the compact JSON text a component's prop carries."""
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False)


def words_json(language: str, words: Mapping[str, str | float]) -> str:
    """A component's words in `language` (numbers as they are), as JSON text shared by every page in that
    language."""
    return _words_json(language, tuple(words.items()))


@lru_cache(maxsize=256)
def _words_json(language: str, words: tuple[tuple[str, str | float], ...]) -> str:
    return as_json({key: translate(language, text) if isinstance(text, str) else text for key, text in words})


@lru_cache(maxsize=256)
def shared_json(value: Hashable) -> str:
    """An unchanging value (tuples become lists) as JSON text, made once per distinct value."""
    return as_json(value)
