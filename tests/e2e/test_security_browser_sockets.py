"""Finding 2 through the real app: a page's events count only over the connection its own browser opened.

Maria's page id is in her page and in her socket's address (which proxies log). Someone who has them, but not her
cookie, opens a socket of their own: with her socket's address it is refused; as a bare socket its click on her
Cancel button is dropped, and her appointment stays booked. The attacker runs in its own thread, as another
machine would, speaking Engine.IO/Socket.IO over a websocket as a browser's socket.io client does.
"""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import websockets
from playwright.sync_api import Page, expect

from tests.e2e.conftest import App, next_working_day, show_day
from tests.waiting import until

CANCELLED = 'The appointment is cancelled and its time is free again.'


def test_the_address_of_marias_socket_opens_no_connection_without_her_cookie(person, app):
    maria = person('maria.lopez@mail.example')
    addresses: list[str] = []
    maria.on('websocket', lambda socket: addresses.append(socket.url))
    maria.goto(f'{app.url}/appointments')
    expect(maria.get_by_text('No upcoming appointments.')).to_be_visible()
    assert addresses and 'client_id=' in addresses[-1]

    without_cookie = _as_attacker(_connect_only(addresses[-1]))  # her page's id, tab id and all, as a proxy logged
    other_browser = httpx.get(f'{app.url}/login').cookies['session']
    with_own_cookie = _as_attacker(_connect_only(addresses[-1], f'session={other_browser}'))

    assert without_cookie.startswith('44') and 'No session cookie' in without_cookie, without_cookie
    assert with_own_cookie.startswith('44') and 'Implicit handshake failed' in with_own_cookie, with_own_cookie
    expect(maria.get_by_text('Maria Lopez')).to_be_visible()  # her own page is unaffected


def test_a_click_on_marias_cancel_button_from_a_bare_socket_is_dropped_and_hers_still_works(person, app):
    maria = person('maria.lopez@mail.example')
    _book_ten_oclock(maria)
    frames: list[str] = []
    maria.on('websocket', lambda socket: socket.on('framereceived', lambda payload: frames.append(str(payload))))
    maria.goto(f'{app.url}/appointments')
    cancel_button = maria.get_by_test_id('appointment-cancel')
    expect(cancel_button).to_be_visible()
    client_id = maria.evaluate('window.clientId')
    element_id = int(cancel_button.get_attribute('id').removeprefix('c'))
    click = {'id': element_id, 'client_id': client_id, 'listener_id': _listener(frames, element_id), 'args': []}

    _as_attacker(_send_over_bare_socket(app, click))

    expect(maria.get_by_test_id('appointment-status')).to_have_text('Booked')
    expect(maria.get_by_test_id('confirm-accept')).to_have_count(0)  # not even asked: the click never reached her page
    cancel_button.click()  # Maria's own click, over her own connection, still counts: she is asked first
    accept = maria.get_by_test_id('confirm-accept')
    expect(accept).to_be_visible()
    accept_id = int(accept.get_attribute('id').removeprefix('c'))
    accept_click = {'id': accept_id, 'client_id': client_id, 'listener_id': _listener(frames, accept_id), 'args': []}

    _as_attacker(_send_over_bare_socket(app, accept_click))  # the attacker answers her open question: dropped too

    expect(accept).to_be_visible()
    expect(maria.get_by_test_id('appointment-status')).to_have_text('Booked')
    accept.click()
    expect(maria.get_by_text(CANCELLED)).to_be_visible()
    expect(maria.get_by_test_id('appointment-status')).to_have_text('Cancelled')


def _book_ten_oclock(maria: Page) -> None:
    show_day(maria, next_working_day(), 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    maria.get_by_test_id('book-submit').click()
    expect(maria.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()


def _listener(frames: list[str], element_id: int) -> str:
    """The id of the click listener of one element, from the updates Maria's page received."""
    for frame in frames:
        if frame.startswith('42["update"'):
            element = json.loads(frame[2:])[1].get(str(element_id))
            if element and element.get('events'):
                return str(element['events'][0]['listener_id'])
    raise AssertionError(f'no update described element {element_id}')


def _as_attacker(work):
    """Run the attacker's coroutine on its own event loop (Playwright's sync API holds this thread's)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


async def _connect_only(address: str, cookie: str | None = None) -> str:
    async with websockets.connect(address, additional_headers={'Cookie': cookie} if cookie else None) as socket:
        return await _namespace_reply(socket)


async def _send_over_bare_socket(app: App, click: dict) -> None:
    """Open a socket naming no page, send the click for Maria's page, and wait until the app has dealt with it."""
    host = urlsplit(app.url).netloc
    log_before = app.log_path.read_text()
    async with websockets.connect(f'ws://{host}/_nicegui_ws/socket.io/?EIO=4&transport=websocket') as socket:
        reply = await _namespace_reply(socket)
        assert reply.startswith('40'), reply  # a bare connection is let in: it can do nothing
        await socket.send('42' + json.dumps(['event', click]))
        await until(lambda: 'dropped a page message (event)' in app.log_path.read_text()[len(log_before) :], timeout=10)


async def _namespace_reply(socket) -> str:
    """Connect to the default namespace; return the server's answer ('40...' accepted, '44...' refused)."""
    opened = await socket.recv()
    assert opened.startswith('0'), opened
    await socket.send('40')
    while True:
        reply = await socket.recv()
        if reply.startswith(('40', '44')):
            return reply
