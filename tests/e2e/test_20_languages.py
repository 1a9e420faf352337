"""Scenario 20 (first part): the language a page is shown in, in Chromium against the real app offering English,
Spanish and German. A German browser's first visit gets the sign-in page in German with `lang="de"`; the header's
switch changes it to Spanish for that browser; Maria chooses German once signed in, and her account keeps it in
another browser whose own language is English."""

import time
from collections.abc import Iterator

import pytest
from babel.dates import format_date
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import RESULTS, App, Stopwatch, fill_period, next_working_day


@pytest.fixture
def app(tmp_path, request) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', {'CLINIC_LANGUAGES': 'en,es,de'})
    server.start()
    yield server
    server.stop()


def browser_in(chromium: Browser, locale: str):
    return chromium.new_context(viewport={'width': 1200, 'height': 900}, locale=locale).new_page()


def test_a_first_visit_follows_the_browser_and_the_switch_and_an_account_keeps_its_choice(chromium, app):
    german = browser_in(chromium, 'de-DE')
    try:
        german.goto(f'{app.url}/login')
        expect(german.get_by_test_id('login-submit')).to_have_text('Anmelden')
        assert german.evaluate('document.documentElement.lang') == 'de'
        switch = german.get_by_test_id('language-select')
        expect(switch).to_have_value('de')
        assert switch.locator('option').all_inner_texts() == ['English', 'Español', 'Deutsch']
        switch.select_option('es')
        expect(german.get_by_test_id('login-submit')).to_have_text('Iniciar sesión')
        assert german.evaluate('document.documentElement.lang') == 'es'
        german.reload()  # this browser keeps its choice
        expect(german.get_by_test_id('login-submit')).to_have_text('Iniciar sesión')
    finally:
        german.context.close()

    english = browser_in(chromium, 'en-GB')
    try:
        english.goto(f'{app.url}/login')
        expect(english.get_by_test_id('login-submit')).to_have_text('Sign in')
        english.get_by_test_id('login-email').fill('maria.lopez@mail.example')
        english.get_by_test_id('login-password').fill('demo1234')
        english.get_by_test_id('login-submit').click()
        english.wait_for_url(lambda url: '/book' in url)
        expect(english.get_by_role('link', name='My appointments').first).to_be_attached()
        english.get_by_test_id('language-select').select_option('de')
        expect(english.get_by_role('link', name='Meine Termine').first).to_be_attached()
        assert english.evaluate('document.documentElement.lang') == 'de'
    finally:
        english.context.close()

    elsewhere = browser_in(chromium, 'en-US')  # Maria on another computer: her account keeps her choice
    try:
        elsewhere.goto(f'{app.url}/login')
        expect(elsewhere.get_by_test_id('login-submit')).to_have_text('Sign in')
        elsewhere.get_by_test_id('login-email').fill('maria.lopez@mail.example')
        elsewhere.get_by_test_id('login-password').fill('demo1234')
        elsewhere.get_by_test_id('login-submit').click()
        elsewhere.wait_for_url(lambda url: '/book' in url)
        expect(elsewhere.get_by_role('link', name='Meine Termine').first).to_be_attached()
        expect(elsewhere.get_by_role('button', name='Abmelden')).to_be_visible()
    finally:
        elsewhere.context.close()


SPANISH = {
    'heading': 'Horas libres con Dr. Alice Smith el {day}',
    'popup': 'Agenda modificada: se han actualizado las horas libres.',
    'day': lambda day: format_date(day, format='full', locale='es'),
}
GERMAN = {
    'heading': 'Freie Zeiten bei Dr. Alice Smith am {day}',
    'popup': 'Kalender aktualisiert: Die freien Zeiten wurden neu geladen.',
    'day': lambda day: format_date(day, format='full', locale='de'),
}


def signed_in_in(chromium: Browser, app: App, locale: str, email: str):
    page = browser_in(chromium, locale)
    page.goto(f'{app.url}/login')
    page.get_by_test_id('login-email').fill(email)
    page.get_by_test_id('login-password').fill('demo1234')
    page.get_by_test_id('login-submit').click()
    page.wait_for_url(lambda url: '/login' not in url)
    return page


def test_a_spanish_and_a_german_browser_see_the_english_doctors_change_in_their_own_words(chromium, app, person):
    day = next_working_day()
    maria = signed_in_in(chromium, app, 'es-ES', 'maria.lopez@mail.example')
    james = signed_in_in(chromium, app, 'de-DE', 'james.lee@mail.example')
    try:
        for page, words in ((maria, SPANISH), (james, GERMAN)):
            page.goto(f'{app.url}/book?doctor=1&day={day}')
            expect(page.get_by_text(words['heading'].format(day=words['day'](day)))).to_be_visible()
            expect(page.get_by_test_id('slot').filter(has_text='09:00')).to_have_count(1)
        alice = person('alice.smith@clinic.example')  # English
        fill_period(alice, day, '09:00', '10:00')
        watch = Stopwatch('20 doctor blocks 09:00-10:00 -> Spanish and German popups')
        started = time.monotonic()
        alice.get_by_test_id('unavailability-submit').click()
        expect(maria.get_by_text(SPANISH['popup'])).to_be_visible()
        expect(james.get_by_text(GERMAN['popup'])).to_be_visible()
        watch.stop()
        assert time.monotonic() - started < 1.0
        for page in (maria, james):
            expect(page.get_by_test_id('slot').filter(has_text='09:00')).to_have_count(0)
        expect(maria.get_by_text(GERMAN['popup'])).to_have_count(0)  # each in its own language only
        expect(james.get_by_text(SPANISH['popup'])).to_have_count(0)
    finally:
        maria.context.close()
        james.context.close()
