"""How fast time that frees up reaches the waitlist: from the click that frees it to the offer on the waiting
patient's screen, and to the time shown held on every browser watching that day.

`python -m bench.waitlist [--watchers 100] [--rounds 5]`: the app as shipped (bench/fanout/ours_server.py), on
SQLite. Each round, a patient in Chromium books 14:00 of the watched day and the waiting patient joins the waitlist
for 14:00-14:30 (in-process, on the same database); the measured click is the first patient cancelling 14:00 on
/appointments. The waiting patient's own Chromium sits on /appointments: a MutationObserver there stamps the moment
the offer's Accept button appears. The watchers are simulated browsers on /book for that day (the real page and
Socket.IO protocol, bench/fanout/browsers.py), stamped when the day's list arrives showing 14:00 held. The waiting
patient then declines, which frees 14:00 for the next round.
"""

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from playwright.async_api import expect
from sqlmodel import select

from bench.fanout.audience import _free_port
from bench.fanout.browsers import Net, NiceGuiBrowser
from bench.fanout.clinic import BLOCKED, prepare, settings
from bench.fanout.patient import WAIT_MS, Patient
from bench.fanout.server import Server
from bench.fanout.stats import ms, quantile
from models import User
from services.startup import open_clinic
from services.waitlist import join_waitlist

LABEL = f'{BLOCKED[0]:%H:%M}'
STAMP_OFFER = """() => {
    window.__offerShownAt = null;
    const look = () => {
        if (window.__offerShownAt === null && document.querySelector('[data-testid="offer-accept"]')) {
            window.__offerShownAt = performance.timeOrigin + performance.now();
        }
    };
    new MutationObserver(look).observe(document.body, {subtree: true, childList: true});
}"""


class Watcher(NiceGuiBrowser):
    """A booking page showing the watched day: stamped when its list arrives with the time held."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held_at: float | None = None

    def _event(self, arrived: float, name: str, frame: str) -> None:
        super()._event(arrived, name, frame)
        if name == 'clinic_slots' and self.held_at is None and arrived >= self.round_started:
            state = json.loads(frame[2:])[1]
            if LABEL in state.get('held', []):
                self.held_at = arrived

    def start_round(self, at: float) -> None:
        super().start_round(at)
        self.held_at = None


async def measure(watchers: int, rounds: int, folder: Path) -> dict[str, Any]:
    prepared = prepare(folder / 'clinic', browsers=watchers + 1)
    port = _free_port()
    server = Server('bench.fanout.ours_server', prepared.env(port), port, folder / 'app.log')
    server.start()
    clinic = open_clinic(settings(prepared.folder))
    with clinic.db.reading() as session:
        waiter_id = session.exec(select(User.id).where(User.email == f'p{watchers}@b.org')).one()
    assert waiter_id is not None
    clicker = Patient('ours', prepared)
    offers: list[float] = []
    held: list[float] = []
    try:
        await clicker.start(server.base)
        assert clicker._browser is not None
        context = await clicker._browser.new_context(viewport={'width': 1200, 'height': 900}, locale='en-GB')
        name, value = prepared.cookies[-1].split('=', 1)
        await context.add_cookies([{'name': name, 'value': value, 'url': server.base}])
        waiter = await context.new_page()
        await waiter.goto(f'{server.base}/appointments')
        await expect(waiter.get_by_text('Waitlist', exact=True)).to_be_visible(timeout=WAIT_MS)
        async with aiohttp.ClientSession() as pages, aiohttp.ClientSession() as sockets:
            net = Net(pages, sockets)
            audience = [
                Watcher(prepared.doctor_id, str(prepared.day), watching=True, cookie=cookie)
                for cookie in prepared.cookies[:watchers]
            ]
            for browser in audience:
                await browser.open(net, server.base)
            for _ in range(rounds):
                await clicker.ready()  # book 14:00
                await clicker.click()
                await clicker.confirmed()
                await asyncio.to_thread(
                    join_waitlist,
                    clinic,
                    actor_id=waiter_id,
                    doctor_id=prepared.doctor_id,
                    first_day=prepared.day,
                    earliest=LABEL,
                    latest=f'{BLOCKED[1]:%H:%M}',
                )
                await waiter.evaluate(STAMP_OFFER)
                await clicker.ready()  # cancel it: the measured click
                for browser in audience:
                    browser.start_round(time.monotonic())
                clicked_wall, clicked = time.time(), time.monotonic()
                await clicker.click()
                await expect(waiter.get_by_test_id('offer-accept')).to_be_visible(timeout=WAIT_MS)
                shown_at = await waiter.evaluate('window.__offerShownAt')
                offers.append(shown_at / 1000 - clicked_wall)
                deadline = time.monotonic() + 30
                while any(b.held_at is None for b in audience) and time.monotonic() < deadline:
                    await asyncio.sleep(0.01)
                held += [b.held_at - clicked for b in audience if b.held_at is not None]
                missed = sum(b.held_at is None for b in audience)
                if missed:
                    raise RuntimeError(f'{missed} watching browsers never showed {LABEL} held')
                await clicker.confirmed()
                await waiter.get_by_test_id('offer-decline').click()  # 14:00 is free again for the next round
                await expect(waiter.get_by_test_id('offer-accept')).to_have_count(0, timeout=WAIT_MS)
                for browser in audience:
                    await browser.acknowledge()
            for browser in audience:
                await browser.close()
    finally:
        await clicker.close()
        server.stop()
        clinic.db.dispose()
    return {
        'watchers': watchers,
        'rounds': rounds,
        'offer_ms': _figures(offers),
        'held_ms': _figures(held),
    }


def _figures(values: list[float]) -> dict[str, float | None]:
    values = sorted(values)
    return {
        'p50': ms(quantile(values, 0.5)),
        'p95': ms(quantile(values, 0.95)),
        'max': ms(values[-1]) if values else None,
        'samples': len(values),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--watchers', type=int, default=100)
    parser.add_argument('--rounds', type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        try:
            result = asyncio.run(measure(args.watchers, args.rounds, Path(folder)))
        finally:
            log = Path(folder) / 'app.log'
            if log.exists():
                print(log.read_text()[-3000:])
    print(json.dumps(result, indent=2))
    offer, shown = result['offer_ms'], result['held_ms']
    print(
        f"freed -> offer on the waiting patient's screen: p50 {offer['p50']} ms, p95 {offer['p95']} ms, "
        f'max {offer["max"]} ms ({offer["samples"]} rounds)\n'
        f'freed -> held on {result["watchers"]} watching browsers: p50 {shown["p50"]} ms, p95 {shown["p95"]} ms, '
        f'max {shown["max"]} ms ({shown["samples"]} samples)'
    )


if __name__ == '__main__':
    main()
