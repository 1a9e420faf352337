"""The calendar feed from /profile, subscribed to over plain HTTP as a calendar app would (no cookie needed): a
booking appears, a cancellation disappears, the doctor's copy leaves out the patient's words, and an address that
was turned off answers 404."""

from urllib.parse import urlsplit

from icalendar import Calendar

from tests.ui.conftest import WAIT, count, element, next_monday, open_day, open_page, pick, sign_in
from tests.waiting import until


async def make_address(user) -> str:
    """Make a calendar address on /profile; return its path (the address is shown only this once)."""
    await open_page(user, '/profile', 'feed-status')
    await user.should_see('No calendar address yet.')
    await user.should_not_see(marker='feed-revoke')
    user.find(marker='feed-create').click()
    await user.should_see(marker='feed-url', retries=WAIT)
    await user.should_see('A calendar address is active since', retries=WAIT)
    address = element(user, 'feed-url').value
    assert address.startswith('http') and '/calendar/' in address
    return urlsplit(address).path


async def subscribe(user, path: str) -> list:
    """Fetch the feed as a calendar app does (`user`: a browser that never signed in), and return its events."""
    answer = await user.http_client.get(path)
    assert answer.status_code == 200 and answer.headers['content-type'].startswith('text/calendar')
    assert 'no-store' in answer.headers['cache-control']
    return Calendar.from_ical(answer.text).walk('VEVENT')


async def test_the_feed_shows_a_booking_loses_a_cancellation_and_ends_when_turned_off(browser):
    monday = next_monday()
    maria, alice, stranger = browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    maria_feed = await make_address(maria)
    assert await subscribe(stranger, maria_feed) == []
    await sign_in(alice, 'alice.smith@clinic.example')
    alice_feed = await make_address(alice)
    before = {str(event['UID']) for event in await subscribe(stranger, alice_feed)}

    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-reason').type('Back pain')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    [event] = await subscribe(stranger, maria_feed)
    assert str(event['SUMMARY']) == 'Consultation with Dr. Alice Smith' and event['DESCRIPTION'] == 'Back pain'
    assert event.decoded('DTSTART').strftime('%Y-%m-%d %H:%M') == f'{monday} 10:00'
    [doctors] = [e for e in await subscribe(stranger, alice_feed) if str(e['UID']) not in before]
    assert doctors['UID'] == event['UID'] and str(doctors['SUMMARY']) == 'Consultation with Maria Lopez'
    assert 'DESCRIPTION' not in doctors

    await open_page(maria, '/appointments', 'appointment-cancel')
    maria.find(marker='appointment-cancel').click()
    await maria.should_see(marker='confirm-accept', retries=WAIT)
    maria.find(marker='confirm-accept').click()
    await maria.should_see('Cancelled', retries=WAIT)
    assert await subscribe(stranger, maria_feed) == []
    assert {str(e['UID']) for e in await subscribe(stranger, alice_feed)} == before

    await open_page(maria, '/profile', 'feed-revoke')
    await maria.should_see('A calendar address is active since')
    maria.find(marker='feed-revoke').click()
    await maria.should_see(marker='confirm-accept', retries=WAIT)
    maria.find(marker='confirm-accept').click()
    await maria.should_see('Your calendar address is turned off.', retries=WAIT)
    await maria.should_not_see(marker='feed-revoke')
    answer = await stranger.http_client.get(maria_feed)
    assert answer.status_code == 404 and answer.text == 'Not found'
    assert (await stranger.http_client.get(alice_feed)).status_code == 200  # Alice's own address still works
    assert (await stranger.http_client.head(alice_feed)).status_code == 200  # some calendar apps ask this first
    assert (await stranger.http_client.get('/calendar/made-up.ics')).status_code == 404


async def test_a_new_address_ends_the_old_one_and_the_front_desk_has_none(browser):
    maria, admin = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    first = await make_address(maria)
    maria.find(marker='feed-create').click()  # now "Make a new address", asked first
    await maria.should_see(marker='confirm-accept', retries=WAIT)
    maria.find(marker='confirm-accept').click()
    await until(lambda: urlsplit(element(maria, 'feed-url').value).path != first)
    second = urlsplit(element(maria, 'feed-url').value).path
    assert (await admin.http_client.get(first)).status_code == 404
    assert (await admin.http_client.get(second)).status_code == 200

    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/profile', 'password-current')
    assert count(admin, 'feed-create') == 0
