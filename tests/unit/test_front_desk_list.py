"""The front desk's filtered appointment list: each filter, clinic-local days (also across daylight saving), the
typed filter's refusals, the live view per filter, and the CSV export read back with Python's csv module."""

import asyncio
import csv
import io
from datetime import date, timedelta

import pytest
from sqlmodel import select

from models import AppointmentStatus, User
from services.booking import book, cancel
from services.errors import InvalidInputs, NotAllowed
from services.front_desk_list import CSV_HEADER, export_appointments, front_desk_filter
from services.live.boards import build_live_boards
from services.read_models.appointments import AppointmentFilter, filtered_list
from tests.factories import NEXT_MONDAY, admin_id, appointment_row, create_doctor, create_patient, local

TUESDAY, THURSDAY = NEXT_MONDAY + timedelta(days=1), NEXT_MONDAY + timedelta(days=3)
SOON = AppointmentFilter(first_day=NEXT_MONDAY, last_day=NEXT_MONDAY + timedelta(days=13))
INJECTION = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def desk(clinic):
    """Two doctors, two patients, three appointments next week (one cancelled by the front desk)."""
    alice, bob = create_doctor(clinic, 'Dr. Alice Smith'), create_doctor(clinic, 'Dr. Bob Jones')
    maria, james = create_patient(clinic, 'Maria López'), create_patient(clinic, 'James Lee')
    admin = admin_id(clinic)
    with clinic.db.writing() as session:
        user = session.get(User, maria.id)
        user.phone = '+49 30 1234567'
        session.add(user)
    first = book(clinic, actor_id=maria.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 10), reason=INJECTION)
    book(clinic, actor_id=james.id, doctor_id=bob.id, starts_at=local(TUESDAY, 11), reason='Fever')
    gone = book(clinic, actor_id=maria.id, doctor_id=bob.id, starts_at=local(THURSDAY, 9), reason='Rash')
    cancel(clinic, actor_id=admin, appointment_id=gone.id, reason='It was booked by mistake.')
    return dict(clinic=clinic, alice=alice, bob=bob, maria=maria, james=james, admin=admin, first=first)


def shown(clinic, **filter_) -> list[tuple[str, str]]:
    """(local start, patient) of each appointment the filter shows, in order."""
    which = AppointmentFilter(**({'first_day': SOON.first_day, 'last_day': SOON.last_day} | filter_))
    return [(f'{a.starts_at.astimezone(clinic.tz):%m-%d %H:%M}', a.patient_name) for a in filtered_list(clinic, which)]


def test_each_filter_narrows_the_list(desk):
    clinic, alice, bob = desk['clinic'], desk['alice'], desk['bob']
    everything = [('11-30 10:00', 'Maria López'), ('12-01 11:00', 'James Lee'), ('12-03 09:00', 'Maria López')]
    assert shown(clinic) == everything
    assert shown(clinic, doctor_id=alice.id) == everything[:1]
    assert shown(clinic, doctor_id=bob.id) == everything[1:]
    assert shown(clinic, status=AppointmentStatus.cancelled) == everything[2:]
    assert shown(clinic, status=AppointmentStatus.booked) == everything[:2]
    assert shown(clinic, status=AppointmentStatus.no_show) == []
    assert shown(clinic, patient='lópez') == [everything[0], everything[2]]
    assert shown(clinic, patient=desk['james'].email.split('@')[0].upper()) == everything[1:2]  # email, any case
    assert shown(clinic, patient='%') == []  # typed text, not a pattern
    assert shown(clinic, doctor_id=bob.id, patient='maria', status=AppointmentStatus.cancelled) == everything[2:]
    assert shown(clinic, first_day=TUESDAY, last_day=TUESDAY) == everything[1:2]  # one day, both ends inclusive
    assert shown(clinic, first_day=THURSDAY, last_day=THURSDAY + timedelta(days=30)) == everything[2:]


def _insert(clinic, doctor, patient, starts_at, *, status=AppointmentStatus.completed) -> None:
    """An appointment at any hour, past or not (the booking rules would refuse the night-time edge cases)."""
    with clinic.db.writing() as session:
        session.add(appointment_row(session, doctor.id, patient.id, starts_at, status=status))


@pytest.mark.parametrize('day', [date(2026, 10, 25), date(2027, 3, 28)], ids=['25-hour day', '23-hour day'])
def test_days_are_the_clinics_local_days_also_when_the_clocks_change(desk, day):
    clinic, alice, james = desk['clinic'], desk['alice'], desk['james']
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    for moment in (local(before, 23, 45), local(day, 0, 15), local(day, 23, 15), local(after, 0, 0)):
        _insert(clinic, alice, james, moment)
    that_day = shown(clinic, first_day=day, last_day=day)
    assert [when for when, _ in that_day] == [f'{day:%m-%d} 00:15', f'{day:%m-%d} 23:15']
    assert len(shown(clinic, first_day=before, last_day=after, status=AppointmentStatus.completed)) == 4


def test_the_typed_filter_says_what_is_wrong_next_to_each_field(desk):
    clinic, admin = desk['clinic'], desk['admin']
    typed = dict(
        actor_id=admin, doctor_id=None, first_day='2026-11-30', last_day='2026-12-13', status='all', patient=''
    )
    assert front_desk_filter(clinic, **typed) == SOON
    with pytest.raises(InvalidInputs) as refused:
        front_desk_filter(clinic, **typed | {'first_day': '30.11.2026', 'status': 'lost'})
    assert [p.field for p in refused.value.problems] == ['from', 'status']
    with pytest.raises(InvalidInputs) as refused:
        front_desk_filter(clinic, **typed | {'first_day': '2026-12-14'})
    [problem] = refused.value.problems
    assert problem.field == 'until' and 'before the first' in problem.message
    with pytest.raises(InvalidInputs) as refused:
        front_desk_filter(clinic, **typed | {'doctor_id': 9999})
    assert [p.field for p in refused.value.problems] == ['doctor']
    with pytest.raises(NotAllowed):
        front_desk_filter(clinic, **typed | {'actor_id': desk['maria'].id})


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b'\xef\xbb\xbf')  # the byte-order mark Excel needs to read UTF-8 names right
    return list(csv.reader(io.StringIO(data.decode('utf-8-sig'), newline='')))


def test_the_csv_holds_exactly_the_filtered_list_with_local_times_and_contacts(desk):
    clinic, maria, james = desk['clinic'], desk['maria'], desk['james']
    admin_name = _name(clinic, desk['admin'])
    header, *rows = read_csv(export_appointments(clinic, actor_id=desk['admin'], which=SOON))
    assert tuple(header) == CSV_HEADER
    assert header[:3] == ['Date', 'Start', 'End'] and 'Patient phone' in header
    assert rows == [
        [
            '2026-11-30',
            '10:00',
            '10:30',
            'Dr. Alice Smith',
            'Maria López',
            maria.email,
            "'+49 30 1234567",  # a leading + is a formula to a spreadsheet too
            "'" + INJECTION,
            'Booked',
            '',
            '',
        ],
        ['2026-12-01', '11:00', '11:30', 'Dr. Bob Jones', 'James Lee', james.email, '', 'Fever', 'Booked', '', ''],
        [
            '2026-12-03',
            '09:00',
            '09:30',
            'Dr. Bob Jones',
            'Maria López',
            maria.email,
            "'+49 30 1234567",
            'Rash',
            'Cancelled',
            admin_name,
            'It was booked by mistake.',
        ],
    ]
    only_james = AppointmentFilter(first_day=SOON.first_day, last_day=SOON.last_day, patient='james')
    _header, *rows = read_csv(export_appointments(clinic, actor_id=desk['admin'], which=only_james))
    assert [row[4] for row in rows] == ['James Lee']


def _name(clinic, user_id: int) -> str:
    with clinic.db.reading() as session:
        return session.exec(select(User.full_name).where(User.id == user_id)).one()


def test_no_cell_of_the_csv_starts_a_formula(desk):
    clinic, maria = desk['clinic'], desk['maria']
    with clinic.db.writing() as session:
        user = session.get(User, maria.id)
        user.full_name = '@SUM(A1:A9)'
        session.add(user)
    _header, *rows = read_csv(export_appointments(clinic, actor_id=desk['admin'], which=SOON))
    cells = [cell for row in rows for cell in row]
    assert "'@SUM(A1:A9)" in cells and "'" + INJECTION in cells
    assert not [cell for cell in cells if cell[:1] in ('=', '+', '-', '@', '\t', '\r')]


@pytest.mark.parametrize('who', ['maria', 'alice', 'nobody'])
def test_only_the_front_desk_exports(desk, who):
    actor = {'maria': desk['maria'].id, 'alice': desk['alice'].user_id, 'nobody': None}[who]
    with pytest.raises(NotAllowed):
        export_appointments(desk['clinic'], actor_id=actor, which=SOON)


async def test_each_filter_in_use_is_recomputed_once_per_change_and_only_when_touched(desk):
    clinic, alice, bob, james = desk['clinic'], desk['alice'], desk['bob'], desk['james']
    clinic.hub.start(asyncio.get_running_loop())
    boards = build_live_boards(clinic)
    alices = AppointmentFilter(first_day=SOON.first_day, last_day=SOON.last_day, doctor_id=alice.id)
    watching = [await boards.front_desk_lists.watch(alices) for _ in range(20)]  # twenty admins, one filter
    bobs = await boards.front_desk_lists.watch(AppointmentFilter(SOON.first_day, SOON.last_day, doctor_id=bob.id))
    later = await boards.front_desk_lists.watch(AppointmentFilter(date(2027, 1, 4), date(2027, 1, 8)))
    updates = {'alice': [], 'bob': [], 'later': []}
    watching[0].changed.subscribe(updates['alice'].append)
    bobs.changed.subscribe(updates['bob'].append)
    later.changed.subscribe(updates['later'].append)
    before = boards.front_desk_lists.computations

    book(clinic, actor_id=james.id, doctor_id=alice.id, starts_at=local(THURSDAY, 14), reason='Check-up')
    await clinic.hub.drain()

    assert boards.front_desk_lists.computations - before == 1
    assert [len(u) for u in updates.values()] == [1, 0, 0]
    assert [a.reason for a in watching[0].value] == [INJECTION, 'Check-up']
