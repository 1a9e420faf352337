"""Finding 4 with the User fixture: the sign-in ticket that takes a browser to its new id works once, for that
browser only, and its `next` address never leads off the site."""

import httpx
from nicegui import app

from tests.ui.conftest import WAIT, sign_in


async def test_the_sign_in_ticket_works_once_and_only_for_the_browser_that_signed_in(browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await maria.should_see('Book an appointment')
    ticket_address = next(path for path in maria.back_history if path.startswith('/signed-in?ticket='))

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url='http://test') as stranger:
        assert (await stranger.get('/login')).status_code == 200  # a browser of their own
        replayed = await stranger.get(ticket_address)
        assert replayed.status_code == 303 and replayed.headers['location'] == '/login'
        assert (await stranger.get('/book')).status_code == 303
    again = await maria.http_client.get(ticket_address)
    assert again.status_code == 303 and again.headers['location'] == '/login'
    assert (await maria.http_client.get('/book')).status_code == 200  # Maria herself is still signed in


async def test_signing_in_from_a_link_with_another_site_as_next_stays_on_this_site(browser):
    maria = browser()
    await maria.open('/login?next=/\\evil.example/phish')
    maria.find(marker='login-email').type('maria.lopez@mail.example')
    maria.find(marker='login-password').type('demo1234')
    maria.find(marker='login-submit').click()
    await maria.should_see('Book an appointment', retries=WAIT)
