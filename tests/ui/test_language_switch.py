"""The header's language switch takes only a language it offered, and `/language/...` sets only an offered language
and goes back only to a page of this site."""

import pytest

from tests.ui.conftest import bar_shows, element, open_page, sign_in
from tests.waiting import until


@pytest.fixture
def three_languages(monkeypatch):
    monkeypatch.setenv('CLINIC_LANGUAGES', 'en,es,de')  # the default, said here so the tests hold if it changes


async def test_the_switch_offers_the_clinics_languages_and_ignores_anything_else(three_languages, browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/profile', 'token-create')
    bar = element(maria, 'clinic-bar')
    switch = maria.find(marker='clinic-bar')
    assert bar_shows(maria, 'languages') == [['en', 'English'], ['es', 'Español'], ['de', 'Deutsch']]
    assert bar.props['language'] == 'en'
    for forged in ('fr', 'EN', 3, ['es'], None, {'code': 'es'}):
        switch.trigger('language', forged)  # what a page could not have sent: nothing happens
    await open_page(maria, '/profile', 'token-create')
    assert element(maria, 'clinic-bar').props['language'] == 'en'


@pytest.fixture
def english_only(monkeypatch):
    monkeypatch.setenv('CLINIC_LANGUAGES', 'en')


async def test_one_language_offered_shows_no_switch(english_only, browser):
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/profile', 'token-create')
    assert bar_shows(maria, 'languages') == []


@pytest.mark.parametrize(
    ('address', 'cookie', 'goes_to'),
    [
        ('/language/de?next=/book', 'de', '/book'),
        ('/language/fr?next=/book', None, '/book'),  # not offered: no cookie
        ('/language/es?next=https://evil.example/', 'es', '/'),  # never to another site
        ('/language/es?next=//evil.example/', 'es', '/'),
    ],
)
async def test_the_language_address_sets_only_offered_languages_and_stays_on_the_site(
    three_languages, browser, address, cookie, goes_to
):
    visitor = browser()
    answer = await visitor.http_client.get(address, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers['location'] == goes_to
    assert answer.cookies.get('clinic_language') == cookie


@pytest.mark.parametrize(('fetched_from', 'cookie'), [('same-origin', 'de'), ('none', 'de'), ('cross-site', None)])
async def test_a_link_on_another_site_does_not_choose_a_language(three_languages, browser, fetched_from, cookie):
    """The switch's own request is same-origin (or typed: none); another site's link to it would put its choice on
    the next account signing in at this browser, so it changes nothing."""
    visitor = browser()
    answer = await visitor.http_client.get(
        '/language/de?next=/login', headers={'Sec-Fetch-Site': fetched_from}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers['location'] == '/login'
    assert answer.cookies.get('clinic_language') == cookie


async def test_a_visitors_choice_goes_onto_an_account_without_one_at_sign_in(three_languages, browser):
    german = browser()
    await german.http_client.get('/language/de?next=/login')  # chose German on the sign-in page
    await sign_in(german, 'maria.lopez@mail.example')
    await open_page(german, '/profile', 'token-create')
    assert element(german, 'clinic-bar').props['language'] == 'de'
    elsewhere = browser()  # another browser, which chose nothing: the account now reads German
    await sign_in(elsewhere, 'maria.lopez@mail.example')
    await open_page(elsewhere, '/profile', 'token-create')
    assert element(elsewhere, 'clinic-bar').props['language'] == 'de'


async def test_an_accounts_own_language_is_not_overwritten_by_a_browsers_choice(three_languages, browser):
    james = browser()
    await sign_in(james, 'james.lee@mail.example')
    await open_page(james, '/profile', 'token-create')
    james.find(marker='clinic-bar').trigger('language', 'es')  # his own choice, kept on his account
    await until(lambda: element(james, 'clinic-bar').props['language'] == 'es')  # shown again in it, once kept
    shared = browser()  # a browser where German was chosen (the clinic's waiting-room tablet, say)
    await shared.http_client.get('/language/de?next=/login')
    await sign_in(shared, 'james.lee@mail.example')
    await open_page(shared, '/profile', 'token-create')
    assert element(shared, 'clinic-bar').props['language'] == 'es'
