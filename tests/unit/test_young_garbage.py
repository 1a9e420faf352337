"""The young generation is collected by its real size, not by CPython's allocation count, which every freed old
object lowers: while pages come and go it would otherwise grow far past its threshold without a collection."""

import gc
import weakref
from collections.abc import Iterator

import pytest

from services.live.young_garbage import YoungGarbage


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture
def collector_off() -> Iterator[None]:
    """No automatic collection in between: what the test sees in the young generation stays there until it acts."""
    gc.collect()
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def young() -> int:
    return len(gc.get_objects(generation=0))


def test_freed_old_objects_let_the_young_generation_outgrow_its_threshold(collector_off):
    """Why the module exists: CPython's count says the young generation is small while it is not."""
    old = [[] for _ in range(25_000)]
    gc.collect()  # they are old now
    kept = []
    while old:  # as pages come and go: each new object's count is taken back by an old one freed
        kept.append([])
        old.pop()
    assert gc.get_count()[0] < 5_000  # what CPython compares with its threshold
    assert young() >= 25_000  # what a collection would have to scan
    assert kept


def test_a_young_generation_over_the_limit_is_collected_and_its_garbage_freed(collector_off):
    keeper = YoungGarbage(limit=1_000)
    kept = [[] for _ in range(5_000)]
    garbage = [Node() for _ in range(2_000)]
    canary = weakref.ref(garbage[0])
    del garbage
    assert canary() is not None  # cycles: nothing frees them but a collection

    assert keeper.sweep() in (0, 1)
    assert canary() is None
    assert young() < 1_000
    assert kept


def test_a_small_young_generation_is_left_alone(collector_off):
    keeper = YoungGarbage(limit=50_000)
    garbage = Node()
    canary = weakref.ref(garbage)
    del garbage
    assert keeper.sweep() is None
    assert canary() is not None  # not collected: below the limit
    gc.collect()
    assert canary() is None


def test_the_middle_generation_is_collected_on_its_turn(collector_off):
    keeper = YoungGarbage(limit=100)
    for _ in range(3):  # three young collections since the last middle one
        gc.collect(0)
    middle_before = gc.get_stats()[1]['collections']
    _ = [[] for _ in range(1_000)]
    assert keeper.sweep() == 1
    assert gc.get_stats()[1]['collections'] == middle_before + 1
