"""Popup spam: one patient booking and cancelling in a loop must not flood other people's pages with popups.

Each browser page gets at most one popup per window (`COALESCE_SECONDS`) for other people's changes, saying how
many there were, while its slot grid and lists still follow every change at once. The booking page gathers them in
the browser (tested in Chromium); the other pages on the server (tested here).
"""

import asyncio
import re
import time

from pages.components.notices import COALESCE_SECONDS
from tests.ui.conftest import WAIT, count, next_monday, open_day, open_page, pick, seen_popups, sign_in, slot_labels
from tests.waiting import until

UPDATED = 'Schedule updated: available time slots have been refreshed.'
ROUNDS = 20
CHANGES = 2 * ROUNDS  # each round books 13:00, then cancels it


def changes_told_on_book(popups: list[str]) -> int:
    """How many changes the booking page's popups account for (a summary says how many it gathers)."""
    told = 0
    for text in popups:
        summary = re.fullmatch(
            r'Schedule updated: (\d+) changes(?: by [^;]+)?; available time slots have been refreshed\.', text
        )
        told += int(summary[1]) if summary else int(text == UPDATED)
    return told


def changes_told_on_appointments(popups: list[str]) -> int:
    """How many changes a doctor's /appointments popups account for."""
    told = 0
    for text in popups:
        if text.startswith('Appointments updated: '):
            told += sum(int(n) for n in re.findall(r'(\d+) (?:new|cancelled)', text))
        else:
            told += int(text.startswith(('New appointment: ', 'The appointment of ')))
    return told


async def stays(condition, seconds: float) -> None:
    """Check that `condition()` holds, and keeps holding for `seconds` (nothing more is supposed to happen)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        assert condition()
        await asyncio.sleep(0.05)
    assert condition()


async def test_a_patient_booking_and_cancelling_in_a_loop_gives_others_a_handful_of_popups_and_a_live_grid(
    browser, popups
):
    monday = next_monday()
    maria, alice, booking_tab, list_tab = browser(), browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/appointments', 'appointments-shown')
    for tab in (booking_tab, list_tab):  # the spammer: one tab books, the other cancels
        await sign_in(tab, 'james.lee@mail.example')
    await open_day(booking_tab, monday)
    await open_page(list_tab, '/appointments', 'appointments-shown')
    live = COALESCE_SECONDS / 2  # the grid must follow each change well before a popup window ends
    rounds = 0

    async def book_and_cancel() -> None:
        nonlocal rounds
        await until(lambda: '13:00' in slot_labels(booking_tab), timeout=WAIT / 10)
        pick(booking_tab, '13:00')
        booking_tab.find(marker='book-submit').click()
        await until(lambda: '13:00' not in slot_labels(maria), timeout=live)
        rounds += 1
        await until(lambda: count(list_tab, 'appointment-row') == rounds, timeout=WAIT / 10)
        list_tab.find(marker='appointment-cancel').click()
        await list_tab.should_see(marker='confirm-accept', retries=WAIT)
        list_tab.find(marker='confirm-accept').click()
        await until(lambda: '13:00' in slot_labels(maria), timeout=live)
        await until(lambda: count(list_tab, 'appointment-cancel') == 0, timeout=WAIT / 10)

    started = time.monotonic()
    for _ in range(ROUNDS // 2):
        await book_and_cancel()
    # the first change popped up at once; the others of this burst come together when the window ends
    await until(lambda: len(seen_popups(alice, popups)) == 2, timeout=COALESCE_SECONDS + 1)
    await book_and_cancel()
    assert len(seen_popups(alice, popups)) == 2  # right after a summary, the next changes wait for the next window
    for _ in range(ROUNDS // 2 - 1):
        await book_and_cancel()
    ended = time.monotonic()
    elapsed = ended - started

    # whatever a page gathered is told within one window after the last change
    await until(lambda: time.monotonic() > ended + COALESCE_SECONDS + 0.5, timeout=COALESCE_SECONDS + 1)
    # the first change pops up at once, then at most one per window, the last one a window after the last change
    bound = 2 + int(elapsed // COALESCE_SECONDS)
    assert bound >= 3  # the two bursts spanned more than one window
    maria_popups, alice_popups = seen_popups(maria, popups), seen_popups(alice, popups)
    # every change reached Maria's booking page as one message that may pop up; her browser gathers them into a
    # handful of popups (slot_grid.js: tests/e2e/test_booking_page_browser.py checks that in Chromium)
    assert maria_popups[0] == UPDATED and changes_told_on_book(maria_popups) == CHANGES
    assert 'James' not in ' '.join(maria_popups)  # a summary names no patient
    assert 2 <= len(alice_popups) <= bound, (elapsed, alice_popups)
    assert alice_popups[0].startswith('New appointment: ') and alice_popups[0].endswith(' with James Lee.')
    assert re.fullmatch(r'Appointments updated: \d+ new and \d+ cancelled\.', alice_popups[-1])
    assert changes_told_on_appointments(alice_popups) <= CHANGES  # a change seen only with the next one is not told
    assert '13:00' in slot_labels(maria)  # the final state: every booking was cancelled
    assert count(alice, 'appointment-row') == ROUNDS and count(alice, 'appointment-cancel') == 0


async def test_a_single_change_still_gives_exactly_one_popup_with_the_usual_words(browser, popups):
    monday = next_monday()
    maria, alice, james = browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/appointments', 'appointments-shown')
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday)

    pick(james, '13:00')
    james.find(marker='book-submit').click()

    await until(lambda: '13:00' not in slot_labels(maria))
    await until(lambda: seen_popups(maria, popups) == [UPDATED])
    await until(lambda: len(seen_popups(alice, popups)) == 1)
    [new] = seen_popups(alice, popups)
    assert new.startswith('New appointment: ') and new.endswith(' – 13:30 with James Lee.')
    await stays(lambda: len(seen_popups(maria, popups)) == len(seen_popups(alice, popups)) == 1, COALESCE_SECONDS + 1)
