"""Every browser showing a doctor's day follows changes live; other browsers get nothing."""

import threading
from datetime import timedelta

from pages.components import booking_action
from services import booking
from tests.ui.conftest import (
    WAIT,
    count,
    element,
    next_monday,
    open_day,
    open_page,
    pick,
    seen_popups,
    sign_in,
    slot_labels,
)
from tests.waiting import until

UPDATED = 'Schedule updated: available time slots have been refreshed.'
MORNING = ['09:00', '09:30', '10:00', '10:30', '11:00']


async def block_morning(doctor, day) -> None:
    await open_page(doctor, '/schedule', 'unavailability-submit')
    doctor.find(marker='unavailability-start').type(f'{day} 09:00')
    doctor.find(marker='unavailability-end').type(f'{day} 11:30')
    doctor.find(marker='unavailability-reason').type('Conference')
    doctor.find(marker='unavailability-submit').click()


async def two_patients_on(browser, day):
    """Maria and James, each signed in in their own browser, both showing Dr. Smith's `day`."""
    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, day)
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, day)
    return maria, james


async def test_blocked_time_vanishes_for_the_watching_patient_with_a_popup(browser, popups):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    assert set(MORNING) <= set(slot_labels(maria))
    await sign_in(alice, 'alice.smith@clinic.example')

    await block_morning(alice, monday)

    await until(lambda: '09:00' not in slot_labels(maria), timeout=WAIT / 10)  # popups elsewhere name the times
    assert not set(MORNING) & set(slot_labels(maria))
    assert slot_labels(maria)[0] == '11:30' and len(slot_labels(maria)) == 9
    assert UPDATED in seen_popups(maria, popups)
    assert UPDATED not in seen_popups(alice, popups)  # the doctor who acted gets her own confirmation instead


async def test_browsers_on_another_doctor_or_another_day_get_nothing(browser, popups):
    monday = next_monday()
    maria, james, watcher, alice = browser(), browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday, doctor='Dr. Bob Jones')
    await sign_in(watcher, 'james.lee@mail.example')
    await open_day(watcher, monday + timedelta(days=1))
    james_before, watcher_before = slot_labels(james), slot_labels(watcher)
    await sign_in(alice, 'alice.smith@clinic.example')

    await block_morning(alice, monday)
    await until(lambda: '09:00' not in slot_labels(maria), timeout=WAIT / 10)  # popups elsewhere name the times

    assert slot_labels(james) == james_before and slot_labels(watcher) == watcher_before
    assert seen_popups(james, popups) == [] and seen_popups(watcher, popups) == []


async def test_a_picked_time_that_goes_is_cleared_and_the_patient_told_until_it_comes_back(browser, popups):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    await maria.should_see('Selected: 10:00')
    await sign_in(alice, 'alice.smith@clinic.example')

    await block_morning(alice, monday)

    await maria.should_see('10:00 is no longer available. Please choose another time.', retries=WAIT)
    await maria.should_see('Choose a time above.')
    assert UPDATED in seen_popups(maria, popups)

    alice.find(marker='unavailability-remove').click()  # the doctor changes her mind
    await alice.should_see(marker='confirm-accept', retries=WAIT)
    alice.find(marker='confirm-accept').click()

    await until(lambda: '10:00' in slot_labels(maria))
    notice = element(maria, 'booking-notice')
    await until(lambda: not notice.visible)  # the warning on the page goes (the popup has gone by itself)


async def test_another_patients_booking_updates_the_grid_and_a_taken_time_cannot_be_booked(browser, popups):
    monday = next_monday()
    maria, james = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '13:00')
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday)
    pick(james, '13:00')
    james.find(marker='book-reason').type('Sore throat')
    james.find(marker='book-submit').click()
    await james.should_see('Booked: Dr. Alice Smith', retries=WAIT)

    await maria.should_see('13:00 is no longer available', retries=WAIT)
    assert '13:00' not in slot_labels(maria)
    assert UPDATED in seen_popups(maria, popups)
    assert UPDATED not in seen_popups(james, popups)
    await open_page(james, '/appointments', 'appointments-shown')
    await james.should_see('Sore throat')


async def test_the_loser_of_a_race_gets_a_clear_message_and_a_fresh_list(browser, popups):
    monday = next_monday()
    maria, james = await two_patients_on(browser, monday)
    pick(maria, '14:00')
    pick(james, '14:00')
    maria.find(marker='book-submit').click()
    james.find(marker='book-submit').click()

    outcomes = {}
    for name, user in (('maria', maria), ('james', james)):
        await user.should_see(marker='booking-notice', retries=WAIT)
        with user:
            outcomes[name] = user.find(marker='booking-notice').elements.pop().text
    winners = [name for name, text in outcomes.items() if text.startswith('Booked: Dr. Alice Smith')]
    losers = [name for name, text in outcomes.items() if text == '14:00 was just taken; the list has been refreshed.']
    assert len(winners) == 1 and len(losers) == 1, outcomes
    loser = {'maria': maria, 'james': james}[losers[0]]
    assert '14:00' not in slot_labels(loser)
    rows = 0
    for user in (maria, james):
        await open_page(user, '/appointments', 'appointments-shown')
        rows += count(user, 'appointment-row')
    assert rows == 1


async def test_a_time_taken_while_the_patients_own_booking_of_it_is_under_way_is_said_once(
    browser, popups, monkeypatch
):
    """The live update that takes Maria's time away arrives while her own booking of it is with the server: she is
    told once, by her booking's outcome, not first "no longer available" and then "was just taken"."""
    monday = next_monday()
    maria, james = await two_patients_on(browser, monday)
    held, calls = threading.Event(), []

    def book_held_first(*args, **kwargs):  # Maria's call waits in its worker thread until James has booked
        calls.append(kwargs['actor_id'])
        if len(calls) == 1:
            assert held.wait(30), 'the test never let the first booking go'
        return booking.book(*args, **kwargs)

    monkeypatch.setattr(booking_action, 'book', book_held_first)
    pick(maria, '14:00')
    maria.find(marker='book-submit').click()
    await until(lambda: len(calls) == 1)
    pick(james, '14:00')
    james.find(marker='book-submit').click()
    await james.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await until(lambda: '14:00' not in slot_labels(maria))  # the update reached Maria's page meanwhile
    held.set()

    await maria.should_see('14:00 was just taken; the list has been refreshed.', retries=WAIT)
    told = [text for text in seen_popups(maria, popups) if '14:00' in text]
    assert told == ['14:00 was just taken; the list has been refreshed.']
    assert element(maria, 'booking-notice').text == '14:00 was just taken; the list has been refreshed.'


async def test_a_booking_over_the_clinics_limit_is_refused_on_the_page_with_the_reason(browser, popups):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    for time in ('09:00', '09:30'):
        pick(maria, time)
        maria.find(marker='book-submit').click()
        if time == '09:30':  # a second one with her that day: asked first
            await maria.should_see(marker='confirm-accept', retries=WAIT)
            maria.find(marker='confirm-accept').click()
        await maria.should_see(
            f'Booked: Dr. Alice Smith, {monday:%a} {monday.day} {monday:%b %Y}, {time}.', retries=WAIT
        )

    pick(maria, '10:00')
    maria.find(marker='book-submit').click()

    refusal = f'You already have 2 appointments with Dr. Alice Smith on {monday:%A} {monday.day} {monday:%B %Y}'
    await maria.should_see(refusal, retries=WAIT)
    assert element(maria, 'booking-notice').text.startswith(refusal)  # on the page, not only in a popup
    assert '10:00' in slot_labels(maria)  # nothing was booked
    await open_page(maria, '/appointments', 'appointments-shown')
    assert count(maria, 'appointment-row') == 2


async def test_the_days_message_names_no_browser_and_a_forged_pick_books_nothing(browser, popups):
    """Everything a watching browser gets is the day's times and a doctor's name: not the client id of the tab that
    made the change (it names that page's connection). A pick the page never offered is ignored."""
    monday = next_monday()
    maria, james = await two_patients_on(browser, monday)
    pick(james, '10:00')
    james.find(marker='book-submit').click()
    await until(lambda: '10:00' not in slot_labels(maria), timeout=WAIT / 10)

    messages = [str(data) for event, data, _ in popups.sent if event == 'clinic_slots']
    assert messages and UPDATED in seen_popups(maria, popups)  # Maria's browser was told, and pops it up
    assert not any(james.client.id in text or maria.client.id in text for text in messages)

    grid = maria.find(marker='slot-grid')
    for forged in ('2026-02-30T10:00:00+00:00', 'not a time', 12, {'x': 1}, 'x' * 100_000, '1999-01-01T10:00:00+00:00'):
        grid.trigger('pick', forged)
    await maria.should_see('Choose a time above.')  # nothing picked: the Book button stays off
    assert not element(maria, 'book-submit').enabled
