"""The booking page in Chromium: a move survives a reload and a restart of the app; the date picker fits a phone,
opens from the keyboard, starts weeks on Monday and offers only days that can be booked."""

import calendar
import itertools
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.e2e.conftest import TIMEZONE, next_working_day, show_day, signed_in_page

PHONE = {'width': 390, 'height': 844}


def test_a_move_stays_a_move_after_a_reload_and_a_restart(person, app):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.get_by_test_id('slot').filter(has_text='10:00').click()
    maria.get_by_test_id('book-submit').click()
    expect(maria.get_by_text('Booked: Dr. Alice Smith')).to_be_visible()

    maria.goto(f'{app.url}/appointments')
    maria.get_by_test_id('appointment-move').click()
    expect(maria.get_by_text('Changing the time of your appointment')).to_be_visible()
    later = day + timedelta(days=7)
    maria.get_by_test_id('book-date').fill(later.isoformat())
    expect(maria.get_by_text(f'{later:%B %Y}')).to_be_visible()
    expect(maria).to_have_url(re.compile(rf'day={later}&move=\d+'))

    maria.reload()
    expect(maria.get_by_text('Changing the time of your appointment')).to_be_visible()
    expect(maria.get_by_test_id('book-submit')).to_have_text(re.compile('Move appointment'))
    expect(maria.get_by_test_id('book-date')).to_have_value(later.isoformat())

    maria.evaluate('window.__before_restart = true')
    app.restart()  # the socket drops; the page that comes back is built from its address again
    maria.wait_for_function('window.__before_restart === undefined', timeout=30_000)
    expect(maria.get_by_test_id('book-submit')).to_have_text(re.compile('Move appointment'))
    expect(maria.get_by_test_id('slot').first).to_be_visible()
    expect(maria.get_by_text('Changing the time of your appointment')).to_be_visible()
    maria.get_by_test_id('slot').filter(has_text='14:00').click()
    maria.get_by_test_id('book-submit').click()
    expect(maria).to_have_url(re.compile('/appointments'))
    expect(maria.get_by_test_id('appointment-row')).to_have_count(1)
    expect(maria.get_by_test_id('appointment-row')).to_contain_text('14:00')


def _phone(chromium, app) -> Page:
    page = signed_in_page(chromium, app, 'maria.lopez@mail.example')
    page.set_viewport_size(PHONE)
    return page


def test_the_date_picker_fits_a_phone_opens_from_the_keyboard_and_offers_only_bookable_days(chromium, app):
    today = datetime.now(ZoneInfo(TIMEZONE)).date()
    maria = _phone(chromium, app)
    try:
        maria.goto(f'{app.url}/book?doctor=1&day={today}')
        expect(maria.get_by_test_id('book-date')).to_have_value(today.isoformat())

        maria.get_by_test_id('book-date').focus()
        maria.keyboard.press('Tab')
        opener = maria.get_by_role('button', name='Choose a date on a calendar')
        expect(opener).to_be_focused()
        maria.keyboard.press('Enter')
        picker = maria.locator('.q-date')
        expect(picker).to_be_visible()

        box = picker.bounding_box()
        assert box is not None and box['x'] >= 0 and box['x'] + box['width'] <= PHONE['width']
        weekdays = maria.locator('.q-date__calendar-weekdays > div').all_inner_texts()
        assert [w.strip()[:1] for w in weekdays] == list('MTWTFSS')
        offered = {int(text) for text in maria.locator('.q-date__calendar-item--in').all_inner_texts()}
        assert offered == _weekdays_left_in_month(today)

        maria.keyboard.press('Escape')
        expect(picker).to_be_hidden()
        opener.focus()
        maria.keyboard.press('Space')
        expect(picker).to_be_visible()
        pick = min(offered - {today.day}) if offered - {today.day} else None
        if pick is not None:  # the last working day of a month may leave only today to pick
            maria.locator('.q-date__calendar-item--in').filter(has_text=re.compile(rf'^{pick}$')).click()
            expect(picker).to_be_hidden()
            expect(maria.get_by_test_id('book-date')).to_have_value(today.replace(day=pick).isoformat())
    finally:
        maria.context.close()


def _weekdays_left_in_month(today: date) -> set[int]:
    last = calendar.monthrange(today.year, today.month)[1]
    return {d for d in range(today.day, last + 1) if today.replace(day=d).weekday() < 5}


RECORD_POPUPS = """() => {
    window.__popups = [];
    new MutationObserver((changes) => changes.forEach((change) => change.addedNodes.forEach((node) => {
        const text = node.querySelector && node.querySelector('.q-notification__message');
        if (text) window.__popups.push([performance.now() / 1000, text.textContent]);
    }))).observe(document.body, {childList: true, subtree: true});
}"""
SUMMARY = re.compile(r'Schedule updated: (\d+) changes; available time slots have been refreshed\.')


def test_a_burst_of_other_peoples_changes_pops_up_at_most_once_per_window_counting_them_all(person, app):
    """The booking page's own grid pops up other people's changes: the first at once, those within the next few
    seconds together in one popup that says how many (booking in a loop must not flood the page), never its own."""
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    show_day(maria, day, 'Dr. Alice Smith')
    maria.evaluate(RECORD_POPUPS)
    james, james_list = person('james.lee@mail.example'), person('james.lee@mail.example')
    show_day(james, day, 'Dr. Alice Smith')
    james.evaluate(RECORD_POPUPS)
    james_list.goto(f'{app.url}/appointments')
    for at in ('13:00', '14:00'):  # two bookings and a cancellation in quick succession
        james.get_by_test_id('slot').filter(has_text=at).click()
        james.get_by_test_id('book-submit').click()
        if at == '14:00':  # a second appointment with her that day is asked about first
            james.get_by_test_id('confirm-accept').click()
        expect(maria.get_by_test_id('slot').filter(has_text=at)).to_have_count(0)  # the grid follows at once
    james_list.get_by_test_id('appointment-cancel').first.click()
    james_list.get_by_test_id('confirm-accept').click()
    expect(maria.get_by_test_id('slot').filter(has_text=re.compile(r'^1[34]:00$'))).to_have_count(1)  # one is back
    maria.wait_for_function(
        """() => window.__popups.map(([, t]) => t.match(/(\\d+) changes/) ? +t.match(/(\\d+) changes/)[1] : 1)
            .reduce((a, b) => a + b, 0) >= 3""",
        timeout=15_000,
    )
    popups = maria.evaluate('window.__popups')
    texts = [text for _, text in popups]
    assert texts[0] == 'Schedule updated: available time slots have been refreshed.', texts
    told = sum(int(m[1]) if (m := SUMMARY.fullmatch(t)) else 1 for t in texts)
    assert told == 3, texts  # each change told once, gathered or not
    assert all(later - earlier >= 2.9 for (earlier, _), (later, _) in itertools.pairwise(popups)), popups
    assert not any('James' in t for t in texts)  # a summary names no patient
    # the tab that booked is not told of its own bookings, only of the cancellation made in the other tab
    james.wait_for_function('window.__popups.length >= 1')
    assert [t for _, t in james.evaluate('window.__popups') if t.startswith('Schedule updated')] == [texts[0]]
