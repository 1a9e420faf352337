"""axe-core (bundled by axe-playwright-python) on every page and open state, on a laptop and a 390 px phone, and the
frame's layout there: a one-row header, a visible focus ring, popups that cover neither the heading nor the bell menu.

Every page and state must have no violation of impact serious or critical, and no horizontal page scroll.
One app serves the whole module; each test opens its own browser contexts at the viewport it checks.
"""

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RESULTS, UPDATED, App, fill_period, next_working_day, show_day

VIEWPORTS = {'laptop': {'width': 1280, 'height': 800}, 'phone': {'width': 390, 'height': 844}}
SERIOUS = ('serious', 'critical')
AXE = Axe()
AXE_OPTIONS = {  # the audit also ran this experimental rule (a button's name must hold the text it shows)
    'resultTypes': ['violations'],
    'rules': {'label-content-name-mismatch': {'enabled': True}},
}
STILL = (  # no transition or one-off animation under way (spinners turn for ever)
    'document.getAnimations().every(a => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity)'
)

PATIENT, DOCTOR, ADMIN = 'maria.lopez@mail.example', 'alice.smith@clinic.example', 'admin@clinic.example'
PATIENTS = {'laptop': PATIENT, 'phone': 'james.lee@mail.example'}  # each viewport books as its own patient


@pytest.fixture(scope='module')
def clinic(tmp_path_factory) -> Iterator[App]:
    RESULTS.mkdir(exist_ok=True)
    server = App(tmp_path_factory.mktemp('accessibility') / 'data', RESULTS / 'test_accessibility.app.log')
    server.log_path.unlink(missing_ok=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def visit(chromium: Browser, clinic: App, viewport: str, request) -> Iterator[Callable[..., Page]]:
    """Open a page in a new browser context at the test's viewport, signed in as `email` (or not signed in)."""
    pages: list[Page] = []
    request.node.browser_console = console = []  # shown in the report of a failing test

    def open_as(email: str | None, path: str, password: str = 'demo1234', locale: str = 'en-GB') -> Page:
        context = chromium.new_context(viewport=VIEWPORTS[viewport], locale=locale)
        page = context.new_page()
        pages.append(page)
        _record_console(page, f'page {len(pages) - 1}', console)
        if email is not None:
            page.goto(f'{clinic.url}/login')
            page.get_by_test_id('login-email').fill(email)
            page.get_by_test_id('login-password').fill(password)
            page.get_by_test_id('login-submit').click()
            page.wait_for_url(lambda url: '/login' not in url)
        page.goto(f'{clinic.url}{path}')
        return page

    yield open_as
    if getattr(request.node, 'failed', False):
        for index, page in enumerate(pages):
            page.screenshot(path=str(RESULTS / f'{request.node.name}-{index}.png'), full_page=True)
    for page in pages:
        page.context.close()


def _record_console(page: Page, name: str, console: list[str]) -> None:
    page.on('console', lambda message: console.append(f'{name} {message.type}: {message.text}'))
    page.on('pageerror', lambda error: console.append(f'{name} error: {error}'))
    page.on('framenavigated', lambda frame: console.append(f'{name} at {frame.url}'))


def assert_accessible(page: Page, where: str) -> None:
    """No serious or critical axe-core violation on the page as it is now; on a phone, no sideways page scroll."""
    expect(page.locator('h1').first).to_be_visible()  # the page has been built
    page.wait_for_function(STILL, polling=50)  # a dialog or menu fading in has half its contrast
    violations = [v for v in AXE.run(page, options=AXE_OPTIONS).response['violations'] if v['impact'] in SERIOUS]
    assert not violations, f'{where}: axe-core found\n' + '\n'.join(_described(v) for v in violations)
    widths = page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')
    assert widths[0] <= widths[1], f'{where}: the page scrolls sideways ({widths[0]} px wide in {widths[1]} px)'


def _described(violation: dict) -> str:
    targets = ', '.join(' '.join(map(str, node['target'])) for node in violation['nodes'][:8])
    first = violation['nodes'][0]
    return (
        f'- {violation["id"]} ({violation["impact"]}): {violation["help"]} at [{targets}] ({violation["helpUrl"]})\n'
        f'    e.g. {first["html"][:200]}\n    {first.get("failureSummary", "").replace(chr(10), " ")[:300]}'
    )


@pytest.mark.parametrize(
    'path', ['/login', '/register', '/forgot', '/reset?token=gone', '/no-such-page', '/book?doctor=abc']
)
def test_pages_for_visitors_have_no_serious_violations(visit, path, viewport):
    page = visit(None, path)
    assert_accessible(page, f'{path} ({viewport})')


@pytest.mark.parametrize(
    ('email', 'path', 'ready'),
    [
        (PATIENT, '/appointments', None),
        (DOCTOR, '/appointments', None),
        (DOCTOR, '/schedule', 'unavailability-submit'),
        (ADMIN, '/admin', 'doctor-row'),
        (ADMIN, '/admin/accounts', 'account-row'),
        (ADMIN, '/desk?q=lee', 'desk-patient-row'),
        (PATIENT, '/profile', 'password-submit'),
        (DOCTOR, '/profile', 'password-submit'),
        (ADMIN, '/no-such-page', None),
    ],
)
def test_signed_in_pages_have_no_serious_violations(visit, email, path, ready, viewport):
    page = visit(email, path)
    if ready:
        expect(page.get_by_test_id(ready).first).to_be_attached()
    assert_accessible(page, f'{path} as {email} ({viewport})')


@pytest.mark.parametrize('locale', ['es-ES', 'de-DE'])
def test_every_role_s_pages_in_each_shipped_language(visit, viewport, locale):
    """The clinic offers English, Spanish and German by default: a browser asking for Spanish or German gets every
    page in it (longer words, Quasar's own language pack in the date picker), with no serious violation either."""
    language = locale[:2]
    visitor = visit(None, '/register', locale=locale)
    assert visitor.evaluate('document.documentElement.lang') == language
    assert_accessible(visitor, f'/register ({locale}, {viewport})')
    visitor.goto(visitor.url.split('/register')[0] + '/login')
    assert_accessible(visitor, f'/login ({locale}, {viewport})')

    patient = visit(PATIENTS[viewport], '/book', locale=locale)
    patient.goto(f'{patient.url.split("/book")[0]}/book?doctor=1&day={next_working_day()}')
    expect(patient.get_by_test_id('slot').first).to_be_visible()
    assert_accessible(patient, f'/book with free times ({locale}, {viewport})')
    patient.locator('.q-field').filter(has=patient.get_by_test_id('book-date')).get_by_text('event', exact=True).click()
    expect(patient.locator('.q-date')).to_be_visible()
    assert_accessible(patient, f'/book with the date picker open ({locale}, {viewport})')
    patient.keyboard.press('Escape')
    for path, ready in (('/appointments', None), ('/profile', 'password-submit')):
        patient.goto(f'{patient.url.split("/book")[0].split("/appointments")[0]}{path}')
        if ready:
            expect(patient.get_by_test_id(ready)).to_be_attached()
        assert_accessible(patient, f'{path} as a patient ({locale}, {viewport})')

    doctor = visit(DOCTOR, '/schedule', locale=locale)
    expect(doctor.get_by_test_id('unavailability-submit')).to_be_visible()
    assert_accessible(doctor, f'/schedule ({locale}, {viewport})')

    admin = visit(ADMIN, '/admin', locale=locale)
    root = admin.url.split('/admin')[0]
    for path, ready in (
        ('/admin', 'doctor-row'),
        ('/admin/accounts', 'account-row'),
        ('/desk?q=lee', 'desk-patient-row'),
    ):
        admin.goto(f'{root}{path}')
        expect(admin.get_by_test_id(ready).first).to_be_attached()
        assert_accessible(admin, f'{path} ({locale}, {viewport})')


def test_booking_page_with_free_times_and_open_date_picker(visit, viewport):
    page = visit(PATIENT, '/book')
    show_day(page, next_working_day(), 'Dr. Alice Smith')
    assert_accessible(page, f'/book with free times ({viewport})')
    field = page.locator('.q-field').filter(has=page.get_by_test_id('book-date'))
    field.get_by_text('event', exact=True).click()
    expect(page.locator('.q-date')).to_be_visible()
    assert_accessible(page, f'/book with the date picker open ({viewport})')


def test_open_bell_menu(visit, viewport):
    page = visit(PATIENT, '/book')
    page.get_by_test_id('notification-bell').click()
    expect(page.get_by_role('menu').or_(page.locator('.q-menu')).first).to_be_visible()
    assert_accessible(page, f'/book with the bell menu open ({viewport})')


def test_admin_schedule_of_a_doctor(visit, viewport):
    page = visit(ADMIN, '/admin')
    page.get_by_test_id('doctor-schedule').first.click()
    page.wait_for_url('**/admin/doctors/*/schedule')
    expect(page.get_by_test_id('unavailability-submit')).to_be_visible()
    assert_accessible(page, f'/admin/doctors/{{id}}/schedule ({viewport})')


def test_conflict_dialog_and_cancel_confirmation(visit, viewport):
    day = next_working_day()
    time = '10:00' if viewport == 'laptop' else '14:00'  # each viewport books its own time
    patient = visit(PATIENTS[viewport], '/book')
    show_day(patient, day, 'Dr. Alice Smith')
    patient.get_by_test_id('slot').filter(has_text=time).click()
    patient.get_by_test_id('book-reason').fill('Check-up')
    patient.get_by_test_id('book-submit').click()
    expect(patient.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()

    doctor = visit(DOCTOR, '/schedule')
    fill_period(doctor, day, time, f'{int(time[:2]) + 1}:00', 'Conference')
    doctor.get_by_test_id('unavailability-submit').click()
    expect(doctor.get_by_test_id('conflict-dialog')).to_be_visible()
    assert_accessible(doctor, f'/schedule with the conflict dialog open ({viewport})')
    doctor.get_by_test_id('conflict-back').click()

    patient.goto(f'{patient.url.split("/book")[0]}/appointments')
    booked = patient.get_by_test_id('appointment-row').filter(has_text=time)
    booked.get_by_test_id('appointment-cancel').click()
    expect(patient.get_by_test_id('confirm-accept')).to_be_visible()
    assert_accessible(patient, f'/appointments with the cancel confirmation open ({viewport})')

    doctor.goto(f'{doctor.url.split("/schedule")[0]}/schedule?day={day}')
    expect(doctor.get_by_test_id('agenda-row').first).to_be_visible()  # the day agenda with the booking in it
    assert_accessible(doctor, f'/schedule with the day agenda filled ({viewport})')


def test_front_desk_new_patient_form_and_booking_for_a_patient(visit, viewport):
    page = visit(ADMIN, '/desk?q=lee')
    expect(page.get_by_test_id('desk-patient-row').first).to_be_visible()
    page.get_by_test_id('desk-new-patient').click()
    expect(page.get_by_test_id('desk-new-submit')).to_be_visible()
    assert_accessible(page, f'/desk with the new-patient form open ({viewport})')
    page.goto(page.url.split('/desk')[0] + '/desk?q=lee')
    page.get_by_test_id('desk-patient-row').first.get_by_test_id('desk-book').click()
    expect(page.get_by_test_id('booking-for')).to_be_visible()
    assert_accessible(page, f'/book for a patient at the desk ({viewport})')


def test_the_keyboard_focus_ring_is_clearly_visible(visit, viewport):
    page = visit(None, '/login')
    page.get_by_test_id('login-email').fill('maria.lopez@mail.example')
    page.get_by_test_id('login-password').focus()
    for _ in range(4):  # from the password field to the button, past the show-password eye
        page.keyboard.press('Tab')
        if page.evaluate('document.activeElement.dataset.testid') == 'login-submit':
            break
    ring = page.get_by_test_id('login-submit').evaluate(
        'b => { const s = getComputedStyle(b); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }'
    )
    assert ring == ['solid', '3px', 'rgb(29, 78, 216)'], ring


def test_a_long_name_keeps_the_header_one_row_with_the_whole_name_on_hover(chromium, clinic, visit, viewport):
    name = ('Dr. ' + 'Maximiliana Theodora Wilhelmina ' * 7)[:200].strip()
    email = f'long.name.{viewport}@clinic.example'
    admin = visit(ADMIN, '/admin')
    admin.get_by_text('Add a doctor').click()
    admin.get_by_test_id('doctor-name').fill(name)
    admin.get_by_test_id('doctor-email').fill(email)
    admin.get_by_test_id('doctor-specialty').fill('General Practice')
    admin.get_by_test_id('doctor-password').fill('a long first password 2026')
    admin.get_by_test_id('doctor-submit').click()
    # what the admin sees next: the popup saying the account exists, or a message under a field (named if so)
    created, refused = admin.get_by_text(f'can now sign in with {email}'), admin.locator('.q-field--error')
    expect(created.or_(refused).first).to_be_visible(timeout=15_000)  # a password hash on a busy 2-core machine
    assert refused.count() == 0, f'the new doctor was refused: {refused.all_inner_texts()}'
    expect(admin.get_by_test_id('doctor-row').filter(has_text=name[:40])).not_to_have_count(0)

    doctor = visit(email, '/schedule', password='a long first password 2026')
    header = doctor.locator('.q-header')
    expect(doctor.locator('h1')).to_have_text('My schedule')
    assert header.bounding_box()['height'] < 72, 'the header wraps to more than one row'
    if viewport == 'laptop':
        shown = doctor.get_by_text(name, exact=True).first
        assert shown.get_attribute('title') == name
        box = shown.bounding_box()
        assert box['width'] < 300 and box['height'] < 30  # one line, ended by an ellipsis
    else:
        assert_accessible(doctor, f'/schedule of a doctor with a 200-character name ({viewport})')
        doctor.get_by_role('button', name='Menu').click()
        expect(doctor.get_by_role('menuitem', name='Sign out')).to_be_visible()
        assert header.bounding_box()['height'] < 72
        assert_accessible(doctor, f'/schedule with the navigation menu open ({viewport})')
        doctor.get_by_role('menuitem', name='Appointments').click()
        expect(doctor.locator('h1')).to_have_text('Appointments')
        return
    assert_accessible(doctor, f'/schedule of a doctor with a 200-character name ({viewport})')


def test_popups_cover_neither_the_heading_nor_the_open_bell_menu(visit, viewport):
    day = next_working_day()
    start, end = ('16:00', '16:30') if viewport == 'laptop' else ('16:30', '17:00')
    patient = visit(PATIENTS[viewport], '/book')
    show_day(patient, day, 'Dr. Alice Smith')
    patient.get_by_test_id('notification-bell').click()
    menu = patient.get_by_role('dialog', name='Notifications')
    expect(menu).to_be_visible()

    doctor = visit(DOCTOR, '/schedule')
    fill_period(doctor, day, start, end, 'Conference')
    doctor.get_by_test_id('unavailability-submit').click()

    popup = patient.locator('.q-notification').filter(has_text=UPDATED)
    expect(popup).to_be_visible()
    expect(menu).to_be_visible()
    patient.wait_for_function(STILL, polling=50)
    for covered, what in ((patient.locator('h1'), 'the page heading'), (menu, 'the open bell menu')):
        assert not _overlap(popup.bounding_box(), covered.bounding_box()), f'the popup covers {what} ({viewport})'
    assert_accessible(patient, f'/book with a popup and the bell menu open ({viewport})')


def _overlap(a: dict, b: dict) -> bool:
    return (
        a['x'] < b['x'] + b['width']
        and b['x'] < a['x'] + a['width']
        and a['y'] < b['y'] + b['height']
        and b['y'] < a['y'] + a['height']
    )
