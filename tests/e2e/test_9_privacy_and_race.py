"""Issue 5 through the real app: a patient's websocket never carries another patient's name or reason, and a race
of many browsers for one time ends with exactly one appointment."""

import re

from playwright.sync_api import expect

from config import Settings
from models import Role
from services.accounts import create_account
from services.startup import open_clinic
from tests.e2e.conftest import TIMEZONE, fill_period, next_working_day, show_day

SECRET_REASON = 'Embarrassing <b>rash</b> 7f3a'  # also shows that HTML stays text


def test_a_patients_websocket_never_carries_another_patients_name_or_reason(person):
    day = next_working_day()
    maria = person('maria.lopez@mail.example')
    frames: list[str] = []
    maria.on('websocket', lambda ws: ws.on('framereceived', lambda payload: frames.append(str(payload))))
    maria.reload()
    show_day(maria, day, 'Dr. Alice Smith')

    james = person('james.lee@mail.example')
    show_day(james, day, 'Dr. Alice Smith')
    james.get_by_test_id('slot').filter(has_text='10:00').click()
    james.get_by_test_id('book-reason').fill(SECRET_REASON)
    james.get_by_test_id('book-submit').click()
    expect(maria.get_by_test_id('slot').filter(has_text='10:00')).to_have_count(0)  # Maria's page was updated

    alice = person('alice.smith@clinic.example')
    expect(alice.get_by_text(SECRET_REASON)).to_be_visible()  # the doctor may see it, as typed (escaped)
    fill_period(alice, day, '09:00', '11:30', 'Sick')
    alice.get_by_test_id('unavailability-submit').click()
    alice.get_by_test_id('conflict-cancel').click()
    expect(maria.get_by_test_id('slot').filter(has_text='11:30')).to_be_visible()
    expect(maria.get_by_test_id('slot').filter(has_text='09:00')).to_have_count(0)

    received = '\n'.join(frames)
    assert 'Schedule updated' in received, 'the capture must see the live updates it is checking'
    assert 'James' not in received and 'Lee' not in received and SECRET_REASON not in received


def test_eight_browsers_racing_for_one_time_leave_exactly_one_appointment(person, app):
    clinic = open_clinic(Settings(data_dir=app.data_dir, timezone=TIMEZONE))  # the running app's own database
    emails = [f'racer{i}@mail.example' for i in range(8)]
    for index, email in enumerate(emails):
        create_account(clinic, email=email, full_name=f'Racer {index}', password='racer-pass', role=Role.patient)
    clinic.db.dispose()
    day = next_working_day()
    pages = []
    for email in emails:
        page = person(email, 'racer-pass')
        show_day(page, day, 'Dr. Alice Smith')
        page.get_by_test_id('slot').filter(has_text='15:00').click()
        expect(page.get_by_text('Selected: 15:00')).to_be_visible()
        pages.append(page)

    for page in pages:  # the clicks go out back to back; the server handles them concurrently
        page.get_by_test_id('book-submit').dispatch_event('click')

    outcome = re.compile(r'Booked: Dr. Alice Smith|15:00 (was just taken|is no longer available)')
    texts = []
    for page in pages:
        notice = page.get_by_text(outcome).first
        expect(notice).to_be_visible()
        texts.append(notice.inner_text())
    assert sum(text.startswith('Booked') for text in texts) == 1, texts
    admin = person('admin@clinic.example')
    expect(admin.get_by_test_id('appointment-row')).to_have_count(1)
