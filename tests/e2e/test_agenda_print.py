"""A doctor's full day prints on one A4 page in Chromium: the doctor's name, the date and the agenda, no navigation."""

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from config import Settings
from services.accounts import sign_in
from services.booking import book
from services.read_models.doctors import bookable_doctors
from services.startup import open_clinic
from tests.e2e.conftest import RESULTS, TIMEZONE, App

ZONE = ZoneInfo(TIMEZONE)
TIMES = [time(h, m) for h in (9, 10, 11, 13, 14, 15, 16) for m in (0, 30)]  # every demo slot: 14 a day
PATIENTS = ('maria.lopez@mail.example', 'james.lee@mail.example')
LIMITS = {'max_future_bookings': 20, 'max_bookings_per_doctor_day': 20}  # two patients fill the day
REASON = 'Follow-up after the blood test results, with questions about the new prescription'
CHROME = ('Sign out', 'My schedule', 'Appointments', 'Clinic', 'Print', 'Today', 'Week of', 'Working hours')


@pytest.fixture
def app(tmp_path, request) -> Iterator[App]:
    """The demo app, allowing each patient as many bookings as a full day of one doctor needs."""
    RESULTS.mkdir(exist_ok=True)
    env = {f'CLINIC_{key.upper()}': str(value) for key, value in LIMITS.items()}
    server = App(tmp_path / 'data', RESULTS / f'{request.node.name}.app.log', env=env)
    server.start()
    yield server
    server.stop()
    if not getattr(request.node, 'failed', False):
        server.log_path.unlink(missing_ok=True)


def fill_the_day(app: App, day: date, doctor: str) -> None:
    """Book every slot of the doctor's day through the booking service, on the app's own database."""
    clinic = open_clinic(Settings(data_dir=app.data_dir, timezone=TIMEZONE, demo=True, **LIMITS))
    try:
        doctor_id = next(d.id for d in bookable_doctors(clinic).doctors if d.full_name == doctor)
        patients = [sign_in(clinic, email=email, password='demo1234').id for email in PATIENTS]
        for index, start in enumerate(TIMES):
            book(
                clinic,
                actor_id=patients[index % 2],
                doctor_id=doctor_id,
                starts_at=datetime.combine(day, start, tzinfo=ZONE),
                reason=REASON,
                second_that_day=True,
            )
    finally:
        clinic.db.dispose()


def test_a_full_day_prints_on_one_a4_page_without_navigation(app, person):
    today = datetime.now(ZONE).date()
    monday = today + timedelta(days=7 - today.weekday())
    fill_the_day(app, monday, 'Dr. Alice Smith')
    alice = person('alice.smith@clinic.example')
    alice.goto(f'{app.url}/schedule?day={monday}')
    rows = alice.get_by_test_id('agenda-row')
    expect(rows).to_have_count(14)
    expect(rows.first).to_contain_text('09:00')
    expect(rows.last).to_contain_text('16:30')
    expect(alice.get_by_test_id('agenda-date')).to_have_value(monday.isoformat())

    alice.emulate_media(media='print')
    printed = alice.locator('body').inner_text()  # what the print layout shows (display: none is left out)
    pdf = alice.pdf(format='A4', print_background=True)

    (RESULTS / 'agenda-print.pdf').write_bytes(pdf)
    assert len(re.findall(rb'/Type\s*/Page(?![a-zA-Z])', pdf)) == 1, 'the day does not fit on one A4 page'
    assert f'Dr. Alice Smith · {monday:%A} {monday.day} {monday:%B %Y}' in printed
    assert printed.count(REASON) == 14 and printed.count('Maria Lopez') == 7 and printed.count('James Lee') == 7
    assert [word for word in CHROME if re.search(rf'\b{word}\b', printed)] == []
    for hidden in ('agenda-date', 'agenda-print', 'unavailability-submit', 'agenda-week'):
        expect(alice.get_by_test_id(hidden)).to_be_hidden()
