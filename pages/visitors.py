"""Who is asking, and how often: a visitor's address (X-Forwarded-For believed only from trusted proxies), and at
most `page_loads_per_minute` page loads per address and minute, answered 429 beyond that, so a flood of page loads
cannot fill the memory with pages. The counts are bounded too: at most MAX_ADDRESSES addresses a minute."""

import ipaddress
import time
from collections.abc import Callable, Sequence
from functools import lru_cache

from nicegui import app
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from config import Settings

MAX_ADDRESSES = 10_000  # counted per minute; more than this many addresses in one minute are let through uncounted
NOT_PAGES = '/_nicegui'  # NiceGUI's scripts, styles and websocket: loaded with every page, not pages themselves


def limit_page_loads(settings: Settings) -> None:
    """Answer 429 to an address's page loads beyond the settings' limit per minute (call before serving)."""
    app.add_middleware(PageLoadLimit, per_minute=settings.page_loads_per_minute, proxies=settings.trusted_proxies)


def address_of(request: Request, proxies: Sequence[str]) -> str:
    """The address a request comes from: its peer, or the client a trusted proxy forwarded it for."""
    peer = request.client.host if request.client else None
    return visitor_address(peer, request.headers.get('x-forwarded-for'), proxies)


def visitor_address(peer: str | None, forwarded_for: str | None, proxies: Sequence[str]) -> str:
    """The first address, from the right of X-Forwarded-For, that is not a trusted proxy (the peer if it is none)."""
    trusted = _networks(tuple(proxies))
    address = peer or 'unknown'
    if not forwarded_for or not _is_trusted(address, trusted):
        return address
    for hop in reversed(forwarded_for.split(',')):
        hop = hop.strip()
        if not _is_ip(hop):  # written by the client itself, not by a proxy: stop at the last proxy we believe
            return address
        address = hop
        if not _is_trusted(hop, trusted):
            return hop
    return address


class PageLoadLimit:
    """ASGI middleware: count GET/HEAD requests for pages per address in fixed one-minute windows."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        proxies: Sequence[str],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app, self.per_minute, self.proxies, self.clock = app, per_minute, list(proxies), clock
        self._minute = -1
        self._loads: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] == 'http' and scope['method'] in ('GET', 'HEAD') and not scope['path'].startswith(NOT_PAGES):
            peer = scope['client'][0] if scope.get('client') else None
            address = visitor_address(peer, Headers(scope=scope).get('x-forwarded-for'), self.proxies)
            if not self._admit(address):
                seconds = 60 - int(self.clock()) % 60
                refusal = PlainTextResponse(
                    'Too many pages opened from your address. Please wait a minute.',
                    status_code=429,
                    headers={'Retry-After': str(seconds)},
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _admit(self, address: str) -> bool:
        minute = int(self.clock() // 60)
        if minute != self._minute:
            self._minute, self._loads = minute, {}
        loads = self._loads.get(address, 0)
        if loads >= self.per_minute:
            return False
        if loads or len(self._loads) < MAX_ADDRESSES:
            self._loads[address] = loads + 1
        return True


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, trusted: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
