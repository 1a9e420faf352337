"""A page's events count only when they come over the connection its own browser opened with its own cookie.

NiceGUI finds the page an event is for by the `client_id` the message itself names, whatever connection brought it.
A page's id is in its HTML and in its socket's address, so anyone who saw either could otherwise click on the page
as its person. Here a connection is accepted for a page only if its signed session cookie holds the browser id the
page was built for (the id in the page request's session), and every later message for a page must arrive on a
connection accepted for that page.
"""

import hmac
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import socketio
from nicegui import Client

log = logging.getLogger(__name__)

PAGE_MESSAGES = ('event', 'javascript_response', 'ack', 'log')  # each names the page (client) it is for
REFUSED = 'Implicit handshake failed'  # on this answer NiceGUI's page reloads, and is built afresh for its browser
NO_COOKIE = 'No session cookie'  # a reload would bring none either: the page stays disconnected instead


def guard_page_sockets(sio: socketio.AsyncServer) -> None:
    """Tie every page message to the connection the page's browser opened (once per process)."""
    handlers = sio.handlers['/']
    if isinstance(getattr(handlers['connect'], '__self__', None), _Sockets):
        return  # the User-fixture tests build the app once per test around the same socket server
    sockets = _Sockets(sio, dict(handlers))
    sio.on('connect', sockets.connect)
    sio.on('handshake', sockets.handshake)
    sio.on('disconnect', sockets.disconnect)
    for name in PAGE_MESSAGES:
        sio.on(name, sockets.bound(name))


class _Sockets:
    def __init__(self, sio: socketio.AsyncServer, nicegui_handlers: dict[str, Callable[..., Any]]) -> None:
        self.sio = sio
        self.nicegui = nicegui_handlers
        self.page_of: dict[str, str] = {}  # socket id -> the page (client id) it was accepted for

    async def connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        query = {key: values[0] for key, values in parse_qs(environ.get('QUERY_STRING', '')).items()}
        implicit = query.get('implicit_handshake') == 'true'  # the page is named in the address: the usual way
        if implicit and _browser_of_socket(environ) is None:
            raise socketio.exceptions.ConnectionRefusedError(NO_COOKIE)
        if implicit and not _same_browser(query.get('client_id'), environ):
            raise socketio.exceptions.ConnectionRefusedError(REFUSED)
        await self.nicegui['connect'](sid, environ, auth)
        if implicit:
            self.page_of[sid] = query['client_id']

    async def handshake(self, sid: str, data: Any) -> bool:
        """A page named after connecting (a prerendered page does this)."""
        client_id = data.get('client_id') if isinstance(data, dict) else None
        if self.page_of.get(sid, client_id) != client_id or not _same_browser(client_id, self.sio.get_environ(sid)):
            return False
        if not await self.nicegui['handshake'](sid, data):
            return False
        self.page_of[sid] = str(client_id)
        return True

    def disconnect(self, sid: str, *reason: Any) -> None:
        self.page_of.pop(sid, None)
        self.nicegui['disconnect'](sid)

    def bound(self, name: str) -> Callable[[str, Any], None]:
        nicegui_handler = self.nicegui[name]

        def handler(sid: str, message: Any) -> None:
            page = self.page_of.get(sid)
            if page is None or not isinstance(message, dict) or message.get('client_id') != page:
                log.warning("dropped a page message (%s) that came over another connection than its page's", name)
                return
            nicegui_handler(sid, message)

        return handler


def _same_browser(client_id: Any, environ: dict[str, Any] | None) -> bool:
    """Whether the connection's session cookie holds the browser id the page was built for."""
    client = Client.instances.get(client_id) if isinstance(client_id, str) else None
    if client is None or environ is None:
        return False
    try:
        page_browser = client.request.session.get('id')
    except (RuntimeError, AssertionError):  # a page built without a request, or without sessions
        return False
    socket_browser = _browser_of_socket(environ)
    if not isinstance(page_browser, str) or socket_browser is None:
        return False
    return hmac.compare_digest(page_browser, socket_browser)


def _browser_of_socket(environ: dict[str, Any] | None) -> str | None:
    """The browser id in the connection's signed session cookie (Starlette read and checked it), if any."""
    scope = (environ or {}).get('asgi.scope') or {}
    browser = scope.get('session', {}).get('id')
    return browser if isinstance(browser, str) else None
