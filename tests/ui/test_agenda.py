"""The doctor's day agenda on the schedule pages: its rows, stepping through days, live bookings from other browsers,
the highlight of the appointment under way as the clinic's clock moves, and who may read it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from nicegui import ElementFilter, app, ui

from services.accounts import sign_in as sign_in_service
from services.booking import book, cancel
from services.clock import FixedClock
from services.read_models.doctors import bookable_doctors
from tests.ui.conftest import TIMEZONE, WAIT, element, field_error, next_monday, open_page, pick, shows_times, sign_in
from tests.waiting import until

ZONE = ZoneInfo(TIMEZONE)


def agenda_rows(user) -> list[str]:
    """Each agenda row's text as a person reads it (its labels and status badge, in order)."""
    with user:
        return [_text(row) for row in ElementFilter(marker='agenda-row')]


def now_rows(user) -> list[str]:
    with user:
        return [_text(row) for row in ElementFilter(marker='agenda-now')]


def week_entries(user) -> list[str]:
    with user:
        return [label.text for label in ElementFilter(marker='agenda-week-entry')]


def _text(row) -> str:
    return ' | '.join(e.text for e in row.descendants() if isinstance(e, ui.label | ui.badge))


def demo(email: str) -> int:
    return sign_in_service(app.state.clinic, email=email, password='demo1234').id


def doctor_id(name: str) -> int:
    return next(d.id for d in bookable_doctors(app.state.clinic).doctors if d.full_name == name)


def at(day, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=ZONE)


def book_demo(patient: str, doctor: str, starts_at: datetime, reason: str = '', **options):
    return book(
        app.state.clinic,
        actor_id=demo(patient),
        doctor_id=doctor_id(doctor),
        starts_at=starts_at,
        reason=reason,
        **options,
    )


async def open_agenda(user, path: str) -> None:
    await open_page(user, path, 'agenda-date')
    await user.should_see(marker='agenda-title', retries=WAIT)


async def test_the_agenda_shows_the_days_appointments_and_steps_through_days(browser):
    monday = next_monday()
    book_demo('maria.lopez@mail.example', 'Dr. Alice Smith', at(monday, 10), 'Sore throat')
    gone = book_demo('james.lee@mail.example', 'Dr. Alice Smith', at(monday, 9))
    cancel(app.state.clinic, actor_id=demo('james.lee@mail.example'), appointment_id=gone.id)
    book_demo('james.lee@mail.example', 'Dr. Alice Smith', at(monday + timedelta(days=1), 14), 'Check-up')
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_agenda(alice, '/schedule')

    alice.find(marker='agenda-date').clear().type(monday.isoformat())
    await alice.should_see(f'Dr. Alice Smith · {monday:%A} {monday.day} {monday:%B %Y}', retries=WAIT)
    assert agenda_rows(alice) == [
        '09:00–09:30 | James Lee | — | Cancelled',
        '10:00–10:30 | Maria Lopez | Sore throat | Booked',
    ]

    alice.find(marker='agenda-next').click()
    await until(lambda: agenda_rows(alice) == ['14:00–14:30 | James Lee | Check-up | Booked'])
    assert element(alice, 'agenda-date').value == (monday + timedelta(days=1)).isoformat()
    alice.find(marker='agenda-previous').click()
    alice.find(marker='agenda-previous').click()
    await alice.should_see('No appointments on this day.', retries=WAIT)
    assert element(alice, 'agenda-date').value == (monday - timedelta(days=1)).isoformat()

    alice.find(marker='agenda-date').clear().type('2026-02-30')
    assert '2026-02-30 is not a day in the calendar' in (await field_error(alice, 'agenda-date') or '')
    alice.find(marker='agenda-today').click()
    today = datetime.now(ZONE).date()
    await until(lambda: element(alice, 'agenda-date').value == today.isoformat())
    assert element(alice, 'agenda-date').error is None


async def test_the_week_shows_each_days_times_and_patients_and_opens_a_day(browser):
    monday = next_monday()
    book_demo('maria.lopez@mail.example', 'Dr. Alice Smith', at(monday, 9, 30))
    book_demo('james.lee@mail.example', 'Dr. Alice Smith', at(monday + timedelta(days=4), 16, 30), 'Results')
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_agenda(alice, f'/schedule?day={monday + timedelta(days=2)}')
    await until(lambda: week_entries(alice) == ['09:30 Maria Lopez', '16:30 James Lee'])
    assert agenda_rows(alice) == []  # Wednesday itself is free

    friday = monday + timedelta(days=4)
    alice.find(f'{friday:%a} {friday.day} {friday:%b}').click()
    await until(lambda: agenda_rows(alice) == ['16:30–17:00 | James Lee | Results | Booked'])


async def test_a_booking_in_another_browser_reaches_the_open_agenda_within_a_second(browser):
    monday = next_monday()
    alice, james = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_agenda(alice, f'/schedule?day={monday}')
    await alice.should_see('No appointments on this day.')
    await sign_in(james, 'james.lee@mail.example')
    await open_page(james, f'/book?doctor={doctor_id("Dr. Alice Smith")}&day={monday}', 'slot')
    await shows_times(james)

    pick(james, '11:00')
    james.find(marker='book-reason').type('Back pain')
    james.find(marker='book-submit').click()

    await until(lambda: agenda_rows(alice) == ['11:00–11:30 | James Lee | Back pain | Booked'], timeout=1)
    await until(lambda: week_entries(alice) == ['11:00 James Lee'], timeout=1)


@pytest.fixture
def clock() -> FixedClock:
    """The running app's clock, stopped at 08:00 on a Monday; tests move it."""
    fixed = FixedClock(at(next_monday(), 8))
    app.state.clinic.clock = fixed
    return fixed


async def test_the_highlight_follows_the_appointment_under_way_as_time_passes(browser, clock):
    monday = next_monday()
    book_demo('maria.lopez@mail.example', 'Dr. Alice Smith', at(monday, 9))
    book_demo('james.lee@mail.example', 'Dr. Alice Smith', at(monday, 9, 30))
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_agenda(alice, '/schedule')  # today, on the clinic's clock
    await until(lambda: len(agenda_rows(alice)) == 2)
    assert now_rows(alice) == []
    time_passing = app.state.scheduler.time_passing

    for moment, under_way in [((9, 0), 'Maria Lopez'), ((9, 30), 'James Lee')]:
        clock.set(at(monday, *moment))
        await time_passing.on_appointment_start()  # the one job, at each start and end of an appointment
        await until(lambda name=under_way: [row.split(' | ')[1] for row in now_rows(alice)] == [name])
        assert now_rows(alice)[0].endswith('Now · Booked')
    clock.set(at(monday, 10))
    await time_passing.on_appointment_start()
    await until(lambda: now_rows(alice) == [])


async def test_the_admin_reads_any_doctors_agenda(browser):
    monday = next_monday()
    book_demo('james.lee@mail.example', 'Dr. Bob Jones', at(monday, 10), 'Fever')
    admin = browser()
    await sign_in(admin, 'admin@clinic.example')
    await open_agenda(admin, f'/admin/doctors/{doctor_id("Dr. Bob Jones")}/schedule?day={monday}')
    await admin.should_see(f'Dr. Bob Jones · {monday:%A} {monday.day} {monday:%B %Y}', retries=WAIT)
    assert agenda_rows(admin) == ['10:00–10:30 | James Lee | Fever | Booked']


@pytest.mark.parametrize('email', ['maria.lopez@mail.example', 'bob.jones@clinic.example'])
async def test_a_patient_or_another_doctor_cannot_read_a_doctors_agenda(browser, email):
    monday = next_monday()
    book_demo('james.lee@mail.example', 'Dr. Alice Smith', at(monday, 10), 'Private matter')
    someone = browser()
    await sign_in(someone, email)
    for path in (f'/admin/doctors/{doctor_id("Dr. Alice Smith")}/schedule?day={monday}', f'/schedule?day={monday}'):
        response = await someone.http_client.get(path)
        assert 'James Lee' not in response.text and 'Private matter' not in response.text
        if email.startswith('maria'):
            assert response.status_code == 403 and 'Not allowed' in response.text
    if email.startswith('bob'):  # his own /schedule shows his own day, not Alice's
        await open_agenda(someone, f'/schedule?day={monday}')
        await someone.should_see(f'Dr. Bob Jones · {monday:%A}', retries=WAIT)
        assert agenda_rows(someone) == []
