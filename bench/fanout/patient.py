"""The person who makes each change: one real Chromium (Debian's, headless, through Playwright), on the core of the
load generator, never the server's.

- The app: a patient signs in through /login, keeps /book open on the watched doctor and day and /appointments in a
  second tab, and alternately books BLOCKED[0] (the `slot` with that time, then `book-submit`; done when the page
  says "Booked:") and cancels it again (the row's `appointment-cancel`, then `confirm-accept`; done when no booked
  row is left). Each round frees or takes one time of the watched day, so every watching browser must update.
- A baseline (no sign-in check there): its /book page's `toggle` button blocks or frees 14:00 of the same day; done
  when `toggle-done` counts the click.

`ready()` does everything up to the click that makes the change (picking the time, opening the question), so the
measured latency starts just before that click (`click()`), and `confirmed()` waits until the page said it is done.
"""

import os
import re
import shutil
from typing import Any

from playwright.async_api import Locator, Page, async_playwright, expect

from .clinic import BLOCKED, Prepared

CHROMIUM = os.environ.get('CHROMIUM_PATH') or shutil.which('chromium') or '/usr/bin/chromium'  # Debian's
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
WAIT_MS = 30_000  # for any step the page takes (a busy server at 2000 browsers answers slowly)
BOOKED = re.compile(r'^Booked: ')


class Patient:
    """One Chromium with its pages; `kind` is 'ours' (the app) or 'baseline'."""

    def __init__(self, kind: str, prepared: Prepared) -> None:
        self.kind, self.prepared = kind, prepared
        self.label = f'{BLOCKED[0]:%H:%M}'
        self.changes = 0  # changes confirmed so far
        self._playwright: Any = None
        self._browser: Any = None
        self._target: Locator | None = None
        self.book: Page | None = None
        self.appointments: Page | None = None

    @property
    def address(self) -> str:
        return f'/book?doctor={self.prepared.doctor_id}&day={self.prepared.day}'

    async def start(self, base: str) -> None:
        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        context = await self._browser.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB')
        context.set_default_timeout(WAIT_MS)
        self.book = await context.new_page()
        if self.kind != 'ours':
            await self.book.goto(f'{base}{self.address}')
            await expect(self.book.locator('#slots li').first).to_be_visible(timeout=WAIT_MS)
            return
        await self.book.goto(f'{base}/login')
        await self.book.get_by_test_id('login-email').fill(self.prepared.patient_email)
        await self.book.get_by_test_id('login-password').fill(self.prepared.patient_password)
        await self.book.get_by_test_id('login-submit').click()
        await self.book.wait_for_url(lambda url: '/login' not in url, timeout=WAIT_MS)
        await self.book.goto(f'{base}{self.address}')
        await expect(self._slot()).to_be_visible(timeout=WAIT_MS)
        self.appointments = await context.new_page()
        await self.appointments.goto(f'{base}/appointments')
        await expect(self.appointments.get_by_test_id('appointment-cancel')).to_have_count(0, timeout=WAIT_MS)

    @property
    def booking_next(self) -> bool:
        """The app's next change books (else it cancels); the baseline's blocks (else it frees)."""
        return self.changes % 2 == 0

    async def ready(self) -> None:
        """Everything up to the click that makes the next change; that click is then actionable at once."""
        assert self.book is not None
        if self.kind != 'ours':
            self._target = self.book.get_by_test_id('toggle')
        elif self.booking_next:
            # the tab clicked in is the one in front: a background tab gets no animation frames, and Playwright
            # waits for two of them before it clicks (that cost a second or two per click)
            await self.book.bring_to_front()
            await self._slot().click()
            self._target = self.book.get_by_test_id('book-submit')
            await expect(self._target).to_be_enabled(timeout=WAIT_MS)
            await expect(self.book.get_by_text(BOOKED)).to_be_hidden(timeout=WAIT_MS)  # the last one's word is gone
        else:
            assert self.appointments is not None
            await self.appointments.bring_to_front()
            cancel = self.appointments.get_by_test_id('appointment-cancel')
            await expect(cancel).to_have_count(1, timeout=WAIT_MS)
            await cancel.click()
            self._target = self.appointments.get_by_test_id('confirm-accept')
        await self._target.click(trial=True)  # visible, stable, enabled: the real click will not wait

    async def click(self) -> None:
        """The click that makes the change. `ready()` checked it is actionable, so Playwright does not check again
        (that waits two animation frames, some 30 ms that are not the server's)."""
        assert self._target is not None
        await self._target.click(force=True)

    async def confirmed(self) -> None:
        """Wait until the page said the change is made."""
        assert self.book is not None
        if self.kind != 'ours':
            await expect(self.book.get_by_test_id('toggle-done')).to_have_text(
                re.compile(rf'^{self.changes + 1}: '), timeout=WAIT_MS
            )
        elif self.booking_next:
            await expect(self.book.get_by_text(BOOKED)).to_be_visible(timeout=WAIT_MS)
        else:
            assert self.appointments is not None
            await expect(self.appointments.get_by_test_id('appointment-cancel')).to_have_count(0, timeout=WAIT_MS)
        self.changes += 1

    async def page_text(self) -> str:
        """What the pages show (for an error message when a step did not happen)."""
        texts = []
        for page in (self.book, self.appointments):
            if page is not None:
                texts.append(f'{page.url}: {(await page.inner_text("body"))[:1500]}')
        return '\n'.join(texts)

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    def _slot(self) -> Locator:
        assert self.book is not None
        return self.book.get_by_test_id('slot').filter(has_text=self.label)
