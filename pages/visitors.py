"""Who is asking, and how often: a visitor's address (X-Forwarded-For believed only from trusted proxies), and at
most `page_loads_per_minute` page loads per address and minute (a token bucket), answered 429 beyond that, so a flood
of page loads cannot fill the memory with pages. The counts are bounded too: at most MAX_ADDRESSES addresses."""

import ipaddress
import math
import os
import time
from collections.abc import Callable, Sequence
from functools import lru_cache

from nicegui import app
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from config import Settings

MAX_ADDRESSES = 10_000  # counted at once; beyond them, new addresses go uncounted until older counts are whole
NOT_PAGES = '/_nicegui'  # NiceGUI's scripts, styles and websocket: loaded with every page, not pages themselves


def limit_page_loads(settings: Settings) -> None:
    """Answer 429 to an address's page loads beyond the settings' limit per minute (call before serving)."""
    if os.environ.get('NICEGUI_USER_SIMULATION') == 'true':  # every simulated browser is one address, and a User-
        return  # fixture test opens thousands of pages; tests/unit and tests/e2e (the real app) try the limit
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
    """ASGI middleware: each address may load `per_minute` pages at once, and one more every 60/`per_minute` s."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_minute: int,
        proxies: Sequence[str],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app, self.per_minute, self.proxies, self.clock = app, per_minute, list(proxies), clock
        self._left: dict[str, tuple[float, float]] = {}  # address -> (page loads it has left, when that was counted)
        self._swept = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] == 'http' and scope['method'] in ('GET', 'HEAD') and not scope['path'].startswith(NOT_PAGES):
            peer = scope['client'][0] if scope.get('client') else None
            address = visitor_address(peer, Headers(scope=scope).get('x-forwarded-for'), self.proxies)
            wait = self._wait(address)
            if wait:
                refusal = PlainTextResponse(
                    'Too many pages opened from your address. Please wait a moment and try again.',
                    status_code=429,
                    headers={'Retry-After': str(wait)},
                )
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _wait(self, address: str) -> int:
        """Count a page load; return 0 if it may go ahead, else the seconds until it may."""
        now, per_second = self.clock(), self.per_minute / 60
        left, then = self._left.get(address, (self.per_minute, now))
        left = min(self.per_minute, left + (now - then) * per_second)
        if left < 1:
            self._left[address] = (left, now)
            return math.ceil((1 - left) / per_second)
        if address not in self._left and len(self._left) >= MAX_ADDRESSES and not self._sweep(now):
            return 0  # more addresses at once than we keep count of: let it through uncounted
        self._left[address] = (left - 1, now)
        return 0

    def _sweep(self, now: float) -> bool:
        """Forget the addresses whose allowance is whole again (at most once a second); return if any room was made."""
        if now - self._swept >= 1:
            self._swept = now
            self._left = {address: count for address, count in self._left.items() if now - count[1] < 60}
        return len(self._left) < MAX_ADDRESSES


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
