"""Take the README's screenshots from a fresh demo clinic: `python scripts/screenshots.py`."""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS, App, next_working_day  # noqa: E402

OUT = ROOT / 'docs' / 'screenshots'


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app = App(Path(folder) / 'data', Path(folder) / 'app.log')
        app.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path='/usr/bin/chromium', args=CHROMIUM_ARGS)
                _take(browser, app.url)
                browser.close()
        finally:
            app.stop()


def _take(browser, url: str) -> None:
    day = next_working_day()

    def sign_in(email: str, width: int = 1100, locale: str = 'en-GB'):
        page = browser.new_context(viewport={'width': width, 'height': 820}, locale=locale).new_page()
        page.goto(f'{url}/login')
        page.get_by_test_id('login-email').fill(email)
        page.get_by_test_id('login-password').fill('demo1234')
        page.get_by_test_id('login-submit').click()
        page.wait_for_url(lambda u: '/login' not in u)
        return page

    james = sign_in('james.lee@mail.example')
    james.get_by_test_id('book-date').fill(day.isoformat())
    james.get_by_test_id('slot').filter(has_text='10:00').click()
    james.get_by_test_id('book-reason').fill('Annual check-up')
    james.get_by_test_id('book-submit').click()
    expect(james.get_by_text('Booked: Dr. Alice Smith').first).to_be_visible()

    maria = sign_in('maria.lopez@mail.example')
    maria.get_by_test_id('book-date').fill(day.isoformat())
    maria.get_by_test_id('slot').filter(has_text='14:00').click()
    alice = sign_in('alice.smith@clinic.example')
    alice.get_by_test_id('unavailability-start').fill(f'{day} 09:00')
    alice.get_by_test_id('unavailability-end').fill(f'{day} 11:30')
    alice.get_by_test_id('unavailability-reason').fill('Conference')
    alice.get_by_test_id('unavailability-submit').click()
    expect(alice.get_by_test_id('conflict-dialog')).to_be_visible()
    alice.wait_for_timeout(400)  # let the dialog's fade-in finish before the picture
    alice.screenshot(path=str(OUT / 'schedule-conflict.png'))
    alice.get_by_test_id('conflict-keep').click()
    expect(maria.get_by_test_id('slot').filter(has_text='09:00')).to_have_count(0)
    expect(maria.get_by_text('Schedule updated').first).to_be_visible()
    maria.wait_for_timeout(500)  # let the popup's slide-in finish before the picture
    maria.screenshot(path=str(OUT / 'booking.png'))

    phone = sign_in('maria.lopez@mail.example', width=390, locale='es-ES')  # a Spanish browser gets Spanish
    phone.get_by_test_id('book-date').fill(day.isoformat())
    expect(phone.get_by_test_id('slot').first).to_be_visible()
    phone.screenshot(path=str(OUT / 'booking-phone.png'), full_page=True)

    admin = sign_in('admin@clinic.example')
    expect(admin.get_by_test_id('appointment-clash').first).to_be_visible()  # James's kept 10:00 in the block
    admin.screenshot(path=str(OUT / 'admin.png'), full_page=True)

    admin.goto(f'{url}/desk?q=lee')
    expect(admin.get_by_test_id('desk-patient-row').first).to_be_visible()
    admin.wait_for_timeout(300)  # let the rows settle before the picture
    admin.screenshot(path=str(OUT / 'desk.png'), full_page=True)

    alice.goto(f'{url}/schedule?day={day}')
    expect(alice.get_by_test_id('agenda-row').first).to_be_visible()
    alice.get_by_test_id('agenda-row').first.scroll_into_view_if_needed()
    alice.wait_for_timeout(300)
    alice.screenshot(path=str(OUT / 'agenda.png'))

    alice.goto(f'{url}/appointments')
    alice.get_by_test_id('appointment-cancel').first.click()
    expect(alice.get_by_test_id('confirm-accept')).to_be_visible()
    alice.wait_for_timeout(400)  # let the dialog's fade-in finish before the picture
    alice.screenshot(path=str(OUT / 'cancel-confirm.png'))
    alice.get_by_test_id('confirm-back').click()

    alice.goto(f'{url}/schedule')
    for name, minutes, after, patients in (('Long visit', '60', '10', True), ('Vaccination', '10', '', False)):
        alice.get_by_test_id('type-name').fill(name)
        alice.get_by_test_id('type-minutes').fill(minutes)
        alice.get_by_test_id('type-after').fill(after)
        if not patients:
            alice.get_by_test_id('type-patients').click()
        alice.get_by_test_id('type-submit').click()
        expect(alice.get_by_test_id('type-row').filter(has_text=name)).to_be_visible()
    maria.get_by_test_id('book-type').click()
    maria.get_by_role('option', name='Long visit (60 min)').click()
    expect(maria.get_by_test_id('slot').filter(has_text='16:30')).to_have_count(0)
    maria.wait_for_timeout(400)  # let the menu close before the picture
    maria.screenshot(path=str(OUT / 'booking-long-visit.png'))
    alice.get_by_test_id('type-row').first.scroll_into_view_if_needed()
    expect(alice.get_by_text('Vaccination added.')).to_have_count(0, timeout=15_000)  # the popups have gone
    alice.screenshot(path=str(OUT / 'visit-types.png'))


if __name__ == '__main__':
    main()
