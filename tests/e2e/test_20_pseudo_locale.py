"""Scenario 20: nothing left untranslated. The app offers the pseudo-locale `qps`, in which every translated text comes
wrapped in ⟦markers⟧; a browser that chose it visits every page of every role in Chromium, with its dialogs and menus
open, and every visible text must be wrapped, or be data (names, e-mail addresses, times, numbers, the clinic's own
words for its kinds of visit) or on the allow-list below."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RESULTS, App, next_working_day

OPEN, CLOSE = '⟦', '⟧'
DATA = [  # visible text that is data, not the app's words
    r'\d{1,2}:\d{2}',  # times
    r'[\w.+-]+@[\w.-]+',  # e-mail addresses
    r'(Dr\. )?(Alice Smith|Bob Jones|Carol Diaz|Maria Lopez|James Lee|Clinic Admin)',  # the demo clinic's people
    r'General Practice|Pediatrics|Dermatology|Consultation',  # its specialties and kind of visit
    r'English|Español|Deutsch',  # each language's own name in the switch
]
ALLOW_LIST = {  # the app's own words that are not translated, and why
    'Loading',  # Quasar's loading bar, labelled once for the whole app (app.config.quasar_config) before any page
}
QUASARS_OWN = re.compile(r'^(Expand|Collapse) "')  # an expansion's label: Quasar's language pack words it (es, de)
DATA_ANYWHERE = re.compile(r'(?<!\w)(?:' + '|'.join(DATA) + r')(?!\w)')
VISIBLE_TEXTS = """() => {
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, element = node.parentElement, text = node.textContent.trim();
        const hidden = 'script, style, .q-icon, .material-icons, [aria-hidden="true"]';
        if (!text || !element || element.closest(hidden)) continue;
        if (!element.getClientRects().length || getComputedStyle(element).visibility === 'hidden') continue;
        texts.push(text);
    }
    for (const element of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
        if (!element.getClientRects().length) continue;
        for (const name of ['aria-label', 'placeholder', 'title']) {
            const value = (element.getAttribute(name) || '').trim();
            if (value) texts.push(value);
        }
    }
    return texts;
}"""


def unwrapped(text: str) -> str:
    """What is left of a text once every ⟦wrapped⟧ part (nested too) and the data in it are taken out: '' when
    nothing in it is an untranslated word."""
    if text in ALLOW_LIST:
        return ''
    text = QUASARS_OWN.sub('', text)
    while True:
        stripped = re.sub(f'{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}', ' ', text)
        if stripped == text:
            break
        text = stripped
    left = DATA_ANYWHERE.sub(' ', text)
    return left.strip() if re.search(r'[^\W\d_]', left) else ''


def untranslated(page: Page) -> set[str]:
    return {text for text in page.evaluate(VISIBLE_TEXTS) if unwrapped(text)}


@pytest.fixture
def app(tmp_path, request) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', {'CLINIC_LANGUAGES': 'en,qps'})
    server.start()
    yield server
    server.stop()


def pseudo_browser(chromium: Browser, app: App, email: str | None = None) -> Page:
    page = chromium.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB').new_page()
    page.goto(f'{app.url}/language/qps?next=/login')
    expect(page.get_by_test_id('login-submit')).to_have_text(f'{OPEN}Sign in{CLOSE}')
    if email is not None:
        page.get_by_test_id('login-email').fill(email)
        page.get_by_test_id('login-password').fill('demo1234')
        page.get_by_test_id('login-submit').click()
        page.wait_for_url(lambda url: '/login' not in url)
    return page


def look(page: Page, where: str, found: dict[str, set[str]]) -> None:
    page.wait_for_load_state('networkidle')
    left = untranslated(page)
    if left:
        found[where] = left


def test_every_page_and_dialog_shows_only_translated_words_and_data(chromium, app):
    found: dict[str, set[str]] = {}
    day = next_working_day()

    visitor = pseudo_browser(chromium, app)
    look(visitor, '/login', found)
    for path in ('/register', '/forgot', '/no-such-page'):
        visitor.goto(f'{app.url}{path}')
        look(visitor, path, found)
    visitor.context.close()

    maria = pseudo_browser(chromium, app, 'maria.lopez@mail.example')
    maria.goto(f'{app.url}/book?doctor=1&day={day}')
    expect(maria.get_by_test_id('slot').first).to_be_visible()
    look(maria, '/book', found)
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    maria.get_by_test_id('book-submit').click()
    expect(maria.get_by_test_id('slot').filter(has_text='10:00')).to_have_count(0)
    look(maria, '/book after booking', found)
    maria.get_by_test_id('notification-bell').click()
    look(maria, 'the bell', found)
    maria.keyboard.press('Escape')
    maria.goto(f'{app.url}/appointments')
    expect(maria.get_by_test_id('appointment-row').first).to_be_visible()
    look(maria, '/appointments', found)
    maria.get_by_test_id('appointment-cancel').first.click()
    expect(maria.get_by_test_id('confirm-accept')).to_be_visible()
    look(maria, 'the cancel dialog', found)
    maria.keyboard.press('Escape')
    maria.goto(f'{app.url}/profile')
    look(maria, '/profile', found)
    maria.context.close()

    alice = pseudo_browser(chromium, app, 'alice.smith@clinic.example')
    alice.goto(f'{app.url}/schedule')
    expect(alice.get_by_test_id('unavailability-submit')).to_be_visible()
    look(alice, '/schedule', found)
    alice.context.close()

    admin = pseudo_browser(chromium, app, 'admin@clinic.example')
    for path in ('/admin', '/desk', '/admin/accounts', '/admin/doctors/1/schedule', '/appointments'):
        admin.goto(f'{app.url}{path}')
        look(admin, path, found)
    admin.context.close()

    report = '\n'.join(f'{where}: {sorted(texts)}' for where, texts in found.items())
    assert not found, f'untranslated texts:\n{report}'
