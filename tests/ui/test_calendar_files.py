"""Each appointment row offers its calendar file; the file goes to its patient, its doctor and the front desk, and to
no one else, asked over plain HTTP with or without another person's cookie."""

from icalendar import Calendar

from tests.ui.conftest import WAIT, element, next_monday, open_day, open_page, pick, sign_in


async def test_the_calendar_file_is_the_appointment_and_only_its_people_get_it(browser):
    monday = next_monday()
    maria, james, alice, bob, nobody = browser(), browser(), browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    pick(maria, '10:00')
    maria.find(marker='book-reason').type('Back pain')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    await open_page(maria, '/appointments', 'appointment-ics')
    address = element(maria, 'appointment-ics').props['href']

    answer = await maria.http_client.get(address)
    assert answer.status_code == 200 and answer.headers['content-type'].startswith('text/calendar')
    assert 'attachment' in answer.headers['content-disposition']
    calendar = Calendar.from_ical(answer.text)
    [event] = calendar.walk('VEVENT')
    assert calendar['METHOD'] == 'PUBLISH' and event['DESCRIPTION'] == 'Back pain'
    assert event['SUMMARY'] == 'Consultation with Dr. Alice Smith'
    assert event.decoded('DTSTART').strftime('%Y-%m-%d %H:%M') == f'{monday} 10:00'
    assert str(event['UID']).startswith('appointment-')

    await sign_in(alice, 'alice.smith@clinic.example')  # her patient's appointment: hers to see, without Maria's words
    answer = await alice.http_client.get(address)
    assert answer.status_code == 200 and 'Back pain' not in answer.text
    [event] = Calendar.from_ical(answer.text).walk('VEVENT')
    assert event['SUMMARY'] == 'Consultation with Maria Lopez'  # in her calendar: whom she sees
    await sign_in(james, 'james.lee@mail.example')
    await sign_in(bob, 'bob.jones@clinic.example')
    for outsider in (james, bob, nobody):
        answer = await outsider.http_client.get(address)
        assert answer.status_code == 404 and 'Maria' not in answer.text
    assert (await maria.http_client.get('/appointments/99999.ics')).status_code == 404
