"""Who a request comes from (X-Forwarded-For believed only from trusted proxies), and the limit on page loads per
address: a flood gets 429s while others go on, and the limiter's own memory stays bounded."""

import tracemalloc

import pytest

from pages.visitors import MAX_ADDRESSES, PageLoadLimit, visitor_address

PROXIES = ['127.0.0.1', '10.0.0.0/8']


@pytest.mark.parametrize(
    ('peer', 'forwarded_for', 'address'),
    [
        ('203.0.113.5', None, '203.0.113.5'),
        ('203.0.113.5', '198.51.100.1', '203.0.113.5'),  # not a proxy of ours: its header is not believed
        ('127.0.0.1', None, '127.0.0.1'),
        ('127.0.0.1', '198.51.100.1', '198.51.100.1'),
        ('127.0.0.1', '6.6.6.6, 198.51.100.1', '198.51.100.1'),  # the client wrote 6.6.6.6 itself
        ('127.0.0.1', '198.51.100.1, 10.1.2.3', '198.51.100.1'),  # through two proxies of ours
        ('127.0.0.1', 'not-an-address, 10.1.2.3', '10.1.2.3'),
        ('127.0.0.1', '10.1.2.3', '10.1.2.3'),
        ('127.0.0.1', '2001:db8::7', '2001:db8::7'),
        (None, '198.51.100.1', 'unknown'),
    ],
)
def test_the_visitor_is_the_first_address_that_is_not_a_trusted_proxy(peer, forwarded_for, address):
    assert visitor_address(peer, forwarded_for, PROXIES) == address


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def serve_page(scope, receive, send) -> None:
    await send({'type': 'http.response.start', 'status': 200, 'headers': []})
    await send({'type': 'http.response.body', 'body': b'page'})


async def load(limit: PageLoadLimit, address: str, path: str = '/login', method: str = 'GET') -> int:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {'type': 'http.request', 'body': b''}

    scope = {'type': 'http', 'method': method, 'path': path, 'headers': [], 'client': (address, 40000)}
    await limit(scope, receive, send)
    return sent[0]['status']


async def test_an_address_loading_too_many_pages_gets_429_and_others_go_on():
    clock = Clock()
    limit = PageLoadLimit(serve_page, per_minute=120, proxies=PROXIES, clock=clock)
    answers = [await load(limit, '203.0.113.5') for _ in range(300)]
    assert answers.count(200) == 120 and answers.count(429) == 180
    assert await load(limit, '198.51.100.1') == 200
    assert await load(limit, '203.0.113.5', path='/_nicegui/3.0.0/static/nicegui.js') == 200  # not a page
    clock.now += 1  # two page loads a second come back
    assert [await load(limit, '203.0.113.5') for _ in range(3)] == [200, 200, 429]
    clock.now += 60
    assert [await load(limit, '203.0.113.5') for _ in range(121)].count(200) == 120


async def test_the_limit_keeps_bounded_memory_however_many_addresses_come():
    limit = PageLoadLimit(serve_page, per_minute=120, proxies=PROXIES, clock=Clock())
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for number in range(5 * MAX_ADDRESSES):
        await load(limit, f'2001:db8::{number:x}')
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 3_000_000  # about 150 bytes for each of MAX_ADDRESSES addresses (1.4 MB); 7.8 MB for all 50 000
