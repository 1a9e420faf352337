"""Finding 10 with the User fixture: every answer carries the security headers, and the session cookie is Secure
when a trusted proxy says the browser came over HTTPS (and only then: anyone can send that header)."""

import httpx
import pytest
from nicegui import app

from pages.http_security import CONTENT_SECURITY_POLICY

PROXY = '10.0.0.2'
STRANGER = '198.51.100.7'


async def test_every_answer_carries_the_security_headers(browser):
    visitor = browser()
    for path in ('/login', '/book', '/healthz', '/no-such-page'):
        headers = (await visitor.http_client.get(path)).headers
        assert headers['content-security-policy'] == CONTENT_SECURITY_POLICY, path
        assert headers['x-content-type-options'] == 'nosniff' and headers['referrer-policy'] == 'same-origin', path
        assert headers['x-frame-options'] == 'DENY', path
    for rule in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"):
        assert rule in CONTENT_SECURITY_POLICY


@pytest.fixture
def behind_a_proxy(monkeypatch):
    monkeypatch.setenv('CLINIC_TRUSTED_PROXIES', f'["{PROXY}"]')


async def test_the_cookie_is_secure_when_a_trusted_proxy_says_https_and_only_then(behind_a_proxy, browser):
    browser()  # the app, started with the proxy trusted
    secure = await _answer(PROXY, 'https')
    assert 'secure' in _attributes(secure.headers['set-cookie'])
    assert 'max-age=31536000' in secure.headers['strict-transport-security']
    for peer, proto in ((STRANGER, 'https'), (PROXY, 'http'), (STRANGER, None)):
        plain = await _answer(peer, proto)
        assert 'secure' not in _attributes(plain.headers['set-cookie']), (peer, proto)
        assert 'strict-transport-security' not in plain.headers


async def _answer(peer: str, proto: str | None) -> httpx.Response:
    """A fresh browser's first page load, arriving from `peer` (with X-Forwarded-Proto: `proto`)."""
    transport = httpx.ASGITransport(app, client=(peer, 40000))
    async with httpx.AsyncClient(transport=transport, base_url='http://clinic.test') as client:
        return await client.get('/login', headers={'X-Forwarded-Proto': proto} if proto else {})


def _attributes(set_cookie: str) -> list[str]:
    return [part.strip().split('=')[0].lower() for part in set_cookie.split(';')[1:]]
