"""/admin's appointment list: the front desk filters it, it follows bookings and cancellations live under the
filter (keeping what the admin typed), and exports exactly what it shows as CSV."""

import csv
import io
from datetime import timedelta

from nicegui.testing.user_interaction import UserInteraction

from tests.ui.conftest import WAIT, count, element, field_error, next_monday, open_day, open_page, sign_in
from tests.ui.conftest import pick as pick_time
from tests.waiting import until

INJECTION = '=HYPERLINK("http://evil.example","click")'


async def book(user, email: str, doctor: str, at: str, reason: str) -> None:
    await sign_in(user, email)
    await open_day(user, next_monday(), doctor)
    pick_time(user, at)
    user.find(marker='book-reason').type(reason)
    user.find(marker='book-submit').click()
    await user.should_see(f'Booked: {doctor}', retries=WAIT)


def choose(user, marker: str, option: str) -> None:
    """Open a select and click one of its options, as a person does."""
    select = element(user, marker)
    user.find(marker=marker).click()
    UserInteraction(user, {select}, option).click()


def rows(user) -> list[str]:
    """The text of each appointment row shown, in order."""
    with user:
        return [' '.join(_texts(row)) for row in user.find(marker='appointment-row').elements]


def _texts(element) -> list[str]:
    own = [str(element.text)] if getattr(element, 'text', '') else []
    return own + [text for child in element.default_slot.children for text in _texts(child)]


async def open_admin(admin) -> None:
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin', 'appointments-shown')


async def test_the_front_desk_filters_by_doctor_status_patient_and_days(browser):
    maria, james, admin = browser(), browser(), browser()
    await book(maria, 'maria.lopez@mail.example', 'Dr. Alice Smith', '10:00', 'Check-up')
    await book(james, 'james.lee@mail.example', 'Dr. Bob Jones', '11:00', 'Fever')
    await open_admin(admin)
    assert count(admin, 'appointment-row') == 2

    choose(admin, 'appointments-doctor', 'Dr. Bob Jones')
    await until(lambda: count(admin, 'appointment-row') == 1)
    assert 'James Lee' in rows(admin)[0] and '11:00' in rows(admin)[0]
    choose(admin, 'appointments-status', 'Cancelled')
    await admin.should_see('No appointments match the filter.', retries=WAIT)

    choose(admin, 'appointments-doctor', 'All doctors')
    choose(admin, 'appointments-status', 'Booked')
    admin.find(marker='appointments-patient').type('MARIA')
    await until(lambda: count(admin, 'appointment-row') == 1)
    assert 'Maria Lopez' in rows(admin)[0] and 'Dr. Alice Smith' in rows(admin)[0]

    monday = next_monday()
    admin.find(marker='appointments-from').clear().type(f'{monday + timedelta(days=1)}')
    await admin.should_see('No appointments match the filter.', retries=WAIT)
    admin.find(marker='appointments-from').clear().type('next week')
    assert 'YYYY-MM-DD' in (await field_error(admin, 'appointments-from') or '')
    admin.find(marker='appointments-from').clear().type(f'{monday}')
    admin.find(marker='appointments-until').clear().type(f'{monday - timedelta(days=1)}')
    assert 'before the first' in (await field_error(admin, 'appointments-until') or '')
    admin.find(marker='appointments-until').clear().type(f'{monday}')
    await until(lambda: count(admin, 'appointment-row') == 1)
    assert element(admin, 'appointments-until').error is None


async def test_the_filtered_list_follows_bookings_and_cancellations_live_keeping_the_filter(browser):
    maria, james, admin = browser(), browser(), browser()
    await open_admin(admin)
    choose(admin, 'appointments-doctor', 'Dr. Alice Smith')
    admin.find(marker='appointments-patient').type('maria')
    await admin.should_see('No appointments match the filter.', retries=WAIT)

    await book(james, 'james.lee@mail.example', 'Dr. Alice Smith', '09:00', 'Fever')  # another patient
    await book(maria, 'maria.lopez@mail.example', 'Dr. Alice Smith', '10:00', 'Check-up')
    await admin.should_see(marker='appointment-row', retries=WAIT)
    assert len(rows(admin)) == 1 and 'Maria Lopez' in rows(admin)[0] and 'Check-up' in rows(admin)[0]
    assert element(admin, 'appointments-patient').value == 'maria'  # the filter survives the update
    assert element(admin, 'appointments-doctor').value != 0

    admin.find(marker='appointment-cancel').click()
    await admin.should_see(marker='confirm-reason', retries=WAIT)
    choose(admin, 'confirm-reason', 'It was booked by mistake.')
    admin.find(marker='confirm-accept').click()
    await admin.should_see(marker='appointment-status', content='Cancelled', retries=WAIT)
    assert 'Cancelled by Clinic Admin. It was booked by mistake.' in rows(admin)[0]


async def test_the_export_is_exactly_the_filtered_list_as_csv(browser):
    maria, james, admin = browser(), browser(), browser()
    await book(maria, 'maria.lopez@mail.example', 'Dr. Alice Smith', '10:00', INJECTION)
    await book(james, 'james.lee@mail.example', 'Dr. Bob Jones', '11:00', 'Fever')
    await open_admin(admin)
    admin.find(marker='appointments-patient').type('lopez')
    await until(lambda: count(admin, 'appointment-row') == 1)

    admin.find(marker='appointments-export').click()
    response = await admin.download.next(timeout=5)

    header, *lines = list(csv.reader(io.StringIO(response.content.decode('utf-8-sig'), newline='')))
    assert header == [
        'Date',
        'Start',
        'End',
        'Doctor',
        'Patient',
        'Patient email',
        'Patient phone',
        'Reason',
        'Status',
        'Cancelled by',
        'Cancel reason',
    ]
    assert lines == [
        [
            f'{next_monday()}',
            '10:00',
            '10:30',
            'Dr. Alice Smith',
            'Maria Lopez',
            'maria.lopez@mail.example',
            '',
            "'" + INJECTION,  # text to a spreadsheet, never a formula
            'Booked',
            '',
            '',
        ]
    ]
