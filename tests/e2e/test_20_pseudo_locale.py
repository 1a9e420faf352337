"""Scenario 20: nothing left untranslated. The app offers the pseudo-locale `qps`, in which every translated text comes
wrapped in ⟦markers⟧; a browser that chose it visits every page of every role in Chromium, with its dialogs and menus
open, and every visible text must be wrapped, or be data (names, e-mail addresses, times, numbers, the clinic's own
words for its kinds of visit) or on the allow-list below."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RESULTS, App, fill_period, next_working_day

OPEN, CLOSE = '⟦', '⟧'
DATA = [  # visible text that is data, not the app's words
    r'\d{1,2}:\d{2}',  # times
    r'[\w.+-]+@[\w.-]+',  # e-mail addresses
    r'(Dr\. )?(Alice Smith|Bob Jones|Carol Diaz|Maria Lopez|James Lee|Clinic Admin)',  # the demo clinic's people
    r'General Practice|Pediatrics|Dermatology|Consultation',  # its specialties and kind of visit
    r'Conference|Staff day|Ann Walk',  # what the tests below type: a block's reason, a closure, a new patient
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
        if (element.matches('.q-chip__icon--remove')) continue;  // Quasar's 'Remove', from its language pack
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


TWICE = re.compile(f'^{OPEN}{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}{CLOSE}$')  # a translation translated again


def untranslated(page: Page) -> set[str]:
    """Texts with untranslated words, and texts translated twice (harmless in a real language only by luck)."""
    return {text for text in page.evaluate(VISIBLE_TEXTS) if unwrapped(text) or TWICE.match(text)}


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


def test_every_dialog_form_and_answer_shows_only_translated_words_and_data(chromium, app):
    """The dialogs and the answers to filling in forms: the waitlist form and its refusal, removing a block, the
    offer of freed time, the conflict dialog, a closure meeting an appointment, the desk's new-patient form, a refused
    webhook, a new token, a refused sign-in, the answers to a password reset and a sign-up."""
    found: dict[str, set[str]] = {}
    day = next_working_day()

    alice = pseudo_browser(chromium, app, 'alice.smith@clinic.example')
    alice.goto(f'{app.url}/schedule')
    fill_period(alice, day, '09:00', '12:00')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('unavailability-row')).to_have_count(1)
    look(alice, '/schedule with a block', found)

    maria = pseudo_browser(chromium, app, 'maria.lopez@mail.example')
    maria.goto(f'{app.url}/book?doctor=1&day={day}')
    expect(maria.get_by_test_id('slot').first).to_be_visible()
    maria.get_by_test_id('waitlist-join').click()
    expect(maria.get_by_test_id('confirm-accept')).to_be_visible()
    look(maria, 'the waitlist form', found)
    maria.get_by_test_id('waitlist-from').fill('9 o clock')
    maria.get_by_test_id('confirm-accept').click()
    expect(maria.locator('.q-field--error').first).to_be_visible()
    look(maria, 'the waitlist form refusing a time', found)
    maria.get_by_test_id('waitlist-from').fill('09:00')
    maria.get_by_test_id('waitlist-until').fill('12:00')
    maria.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('confirm-accept')).to_have_count(0)
    look(maria, '/book on the waitlist', found)
    maria.goto(f'{app.url}/appointments')
    expect(maria.get_by_test_id('waitlist-row')).to_have_count(1)
    look(maria, '/appointments with a waitlist entry', found)

    alice.get_by_test_id('unavailability-row').get_by_test_id('unavailability-remove').click()
    expect(alice.get_by_test_id('confirm-accept')).to_be_visible()
    look(alice, 'removing a block', found)
    alice.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('offer-accept')).to_be_visible()
    look(maria, 'the offer of freed time', found)
    maria.get_by_test_id('offer-accept').click()
    expect(maria.get_by_test_id('appointment-row')).to_have_count(1)
    look(maria, '/appointments after taking the offer', found)

    fill_period(alice, day, '08:30', '10:00')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('conflict-dialog')).to_be_visible()
    look(alice, 'the conflict dialog', found)
    alice.get_by_test_id('conflict-back').click()
    alice.context.close()

    admin = pseudo_browser(chromium, app, 'admin@clinic.example')
    admin.goto(f'{app.url}/admin')
    admin.get_by_test_id('closure-name').fill('Staff day')
    admin.get_by_test_id('closure-start').fill(f'{day} 08:00')
    admin.get_by_test_id('closure-end').fill(f'{day} 18:00')
    admin.get_by_test_id('closure-submit').click()
    expect(admin.get_by_test_id('conflict-dialog')).to_be_visible()
    look(admin, 'a closure meeting an appointment', found)
    admin.get_by_test_id('conflict-back').click()
    admin.get_by_text(f'{OPEN}Webhooks{CLOSE}', exact=True).click()
    admin.get_by_test_id('webhook-url').fill('http://127.0.0.1:9/hook')
    admin.get_by_test_id('webhook-add').click()
    expect(admin.locator('.q-field--error').first).to_be_visible()
    look(admin, '/admin refusing a webhook into the clinic network', found)
    admin.goto(f'{app.url}/desk')
    admin.get_by_test_id('desk-new-patient').click()
    expect(admin.get_by_test_id('desk-new-submit')).to_be_visible()
    look(admin, 'the new-patient form', found)
    admin.get_by_test_id('desk-new-submit').click()
    expect(admin.locator('.q-field--error').first).to_be_visible()
    look(admin, 'the new-patient form refusing empty fields', found)
    admin.context.close()

    maria.goto(f'{app.url}/profile')
    maria.get_by_test_id('token-create').click()
    expect(maria.locator('.q-field--error').first).to_be_visible()
    look(maria, '/profile refusing a token without a name', found)
    maria.get_by_test_id('token-name').fill('Conference')
    maria.get_by_test_id('token-create').click()
    expect(maria.get_by_test_id('token-value')).to_be_visible()
    look(maria, '/profile with a new token', found)
    maria.context.close()

    visitor = pseudo_browser(chromium, app)
    visitor.get_by_test_id('login-email').fill('maria.lopez@mail.example')
    visitor.get_by_test_id('login-password').fill('not her password')
    visitor.get_by_test_id('login-submit').click()
    expect(visitor.locator('.text-negative').first).to_be_visible()
    look(visitor, '/login refusing a password', found)
    visitor.goto(f'{app.url}/forgot')
    visitor.get_by_test_id('forgot-email').fill('someone@example.org')
    visitor.get_by_test_id('forgot-submit').click()
    expect(visitor.get_by_test_id('forgot-answer')).to_be_visible()
    look(visitor, '/forgot answered', found)
    visitor.goto(f'{app.url}/register')
    visitor.get_by_test_id('register-name').fill('Ann Walk')
    visitor.get_by_test_id('register-email').fill('ann.walk@mail.example')
    visitor.get_by_test_id('register-password').fill('short')
    visitor.get_by_test_id('register-submit').click()
    expect(visitor.locator('.q-field--error').first).to_be_visible()
    look(visitor, '/register refusing a short password', found)
    visitor.context.close()

    report = '\n'.join(f'{where}: {sorted(texts)}' for where, texts in found.items())
    assert not found, f'untranslated texts:\n{report}'
