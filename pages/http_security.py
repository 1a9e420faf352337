"""What every HTTP response carries: security headers, and a session cookie marked Secure behind HTTPS.

The session cookie is Starlette's, added here rather than by `ui.run` (NiceGUI then uses this one, see
`nicegui.storage.set_storage_secret`), so that the headers step sits outside it and sees the cookie it sets.
A response is for an HTTPS page when the connection was HTTPS (uvicorn already believes `X-Forwarded-Proto` from
its own trusted addresses), when a proxy in `settings.trusted_proxies` says so, or always with `secure_cookies`.
"""

from typing import Any

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import Settings

# NiceGUI's pages need inline scripts and `eval` (Vue compiles the element templates in the browser) and inline
# styles; everything else comes from this site, and nothing may frame the pages or change their base address.
CONTENT_SECURITY_POLICY = '; '.join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = (
    (b'content-security-policy', CONTENT_SECURITY_POLICY.encode()),
    (b'x-content-type-options', b'nosniff'),
    (b'referrer-policy', b'same-origin'),
    (b'x-frame-options', b'DENY'),
)
HSTS = (b'strict-transport-security', b'max-age=31536000')


def secure_responses(app: FastAPI, settings: Settings, secret: str) -> None:
    """Add the session cookie (signed with `secret`) and, around it, the headers of every response."""
    app.add_middleware(SessionMiddleware, secret_key=secret)  # Starlette's defaults: HttpOnly, SameSite=Lax, 14 days
    app.add_middleware(
        _SecureResponses, trusted_proxies=frozenset(settings.trusted_proxies), always_https=settings.secure_cookies
    )


class _SecureResponses:
    def __init__(self, app: ASGIApp, *, trusted_proxies: frozenset[str], always_https: bool) -> None:
        self.app, self.trusted_proxies, self.always_https = app, trusted_proxies, always_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        https = self.always_https or _came_over_https(scope, self.trusted_proxies)

        async def send_secured(message: Message) -> None:
            if message['type'] == 'http.response.start':
                message['headers'] = _secured(list(message.get('headers', [])), https=https)
            await send(message)

        await self.app(scope, receive, send_secured)


def _came_over_https(scope: Scope, trusted_proxies: frozenset[str]) -> bool:
    if scope.get('scheme') == 'https':
        return True
    peer = (scope.get('client') or ('', 0))[0]
    if peer not in trusted_proxies:
        return False
    proto: bytes = dict(scope.get('headers', [])).get(b'x-forwarded-proto', b'')
    return proto.split(b',')[0].strip().lower() == b'https'


def _secured(headers: list[Any], *, https: bool) -> list[Any]:
    present = {name.lower() for name, _ in headers}
    headers += [(name, value) for name, value in HEADERS if name not in present]
    if not https:
        return headers
    headers.append(HSTS)
    return [(name, _secure_cookie(value) if name.lower() == b'set-cookie' else value) for name, value in headers]


def _secure_cookie(cookie: bytes) -> bytes:
    attributes = [part.strip().lower() for part in cookie.split(b';')[1:]]
    return cookie if b'secure' in attributes else cookie + b'; secure'
