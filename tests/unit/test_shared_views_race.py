"""Two watchers starting on the same view at once, with a change committed between their loads: both hear of it."""

import asyncio
import threading

from services.live.shared_views import SharedViews


async def test_a_change_between_two_first_loads_reaches_the_first_watcher_too():
    database = {'value': 'before'}
    first_reading, first_may_end = threading.Event(), threading.Event()
    loads = 0

    def load(key: int) -> str:
        nonlocal loads
        loads += 1
        if loads == 1:  # the first page's load read the database before the change was committed
            seen = database['value']
            first_reading.set()
            first_may_end.wait(5)
            return seen
        return database['value']

    views: SharedViews[int, str] = SharedViews('test', load=load, affects=lambda key, event: True)
    heard: list[str] = []
    views.listen(lambda view, update: heard.append(update.value))

    first = asyncio.create_task(views.watch(1))
    await asyncio.to_thread(first_reading.wait, 5)
    second = asyncio.create_task(views.watch(1))  # another page opens the same view meanwhile
    await asyncio.sleep(0)
    database['value'] = 'after'  # the change commits between the two loads
    first_may_end.set()
    view = await first
    assert view.value == 'before'  # what the first page was given
    await second
    await views.on_event(object())  # the change's own event comes after both loads: nothing new to it by then

    assert view.value == 'after'
    assert heard == ['after']  # told once, so the first page does not keep showing 'before'
