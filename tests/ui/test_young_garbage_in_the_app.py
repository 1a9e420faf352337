"""The running app collects a young generation that outgrew its threshold while CPython's count said it had not
(freed old objects lower that count: pages coming and going), instead of leaving it for the next change's burst of
allocations to set off a long collection inside the change (`services/live/young_garbage.py`)."""

import gc

from services.live.websocket import YOUNG_COLLECTION_EVERY
from tests.ui.conftest import sign_in
from tests.waiting import until


def young() -> int:
    return len(gc.get_objects(generation=0))


async def test_the_app_collects_a_young_generation_its_count_hides(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')  # the app is up: its start-up hooks have run
    old = [[] for _ in range(3 * YOUNG_COLLECTION_EVERY)]
    gc.collect()
    kept = []
    while old:  # each new object's count is taken back by an old one freed
        kept.append([])
        old.pop()
    assert gc.get_count()[0] < YOUNG_COLLECTION_EVERY
    assert young() > 2 * YOUNG_COLLECTION_EVERY  # no automatic collection is due, yet the generation is large

    await until(lambda: young() < YOUNG_COLLECTION_EVERY, timeout=3)
    assert kept
