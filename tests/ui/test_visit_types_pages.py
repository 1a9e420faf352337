"""Kinds of visit on the pages: the doctor's editor, the patient's choice on /book, and live starts across kinds."""

from nicegui.testing.user_interaction import UserInteraction

from tests.ui.conftest import (
    WAIT,
    count,
    element,
    field_error,
    next_monday,
    open_day,
    open_page,
    pick,
    shows_times,
    sign_in,
    slot_labels,
)
from tests.waiting import until

LONG = 'Long visit (60 min)'


async def add_long_visit(alice) -> None:
    await open_page(alice, '/schedule', 'type-submit')
    alice.find(marker='type-name').type('Long visit')
    alice.find(marker='type-minutes').type('60')
    alice.find(marker='type-submit').click()
    await alice.should_see('Long visit · 60 min', retries=WAIT)


def kind_options(user) -> list[str]:
    return list(element(user, 'book-type').options.values())


def choose_kind(user, label: str) -> None:
    user.find(marker='book-type').click()
    user.find(label).click()


async def test_a_kind_the_doctor_adds_is_offered_live_and_shows_only_the_starts_where_it_fits(browser):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    assert kind_options(maria) == ['Consultation (30 min)']
    await sign_in(alice, 'alice.smith@clinic.example')

    await add_long_visit(alice)
    assert count(alice, 'type-row') == 2

    await until(lambda: LONG in kind_options(maria), timeout=WAIT / 10)
    assert '16:30' in slot_labels(maria)  # still the consultation's times
    choose_kind(maria, LONG)
    await until(lambda: '16:30' not in slot_labels(maria), timeout=WAIT / 10)
    times = slot_labels(maria)
    assert '16:00' in times and '11:00' in times and '11:30' not in times


async def test_a_long_booking_takes_the_starts_it_blocks_from_a_browser_showing_another_kind(browser):
    monday = next_monday()
    maria, james, alice = browser(), browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await add_long_visit(alice)
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    choose_kind(maria, LONG)
    await sign_in(james, 'james.lee@mail.example')
    await open_day(james, monday)  # the consultation, 30 minutes
    assert {'09:00', '09:30'} <= set(slot_labels(james))

    await until(lambda: '11:30' not in slot_labels(maria), timeout=WAIT / 10)
    pick(maria, '09:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)

    await until(lambda: not {'09:00', '09:30'} & set(slot_labels(james)), timeout=WAIT / 10)
    assert '10:00' in slot_labels(james)


async def test_bad_kind_fields_are_explained_next_to_them_and_nothing_is_added(browser):
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'type-submit')
    alice.find(marker='type-name').type('Quick check')
    alice.find(marker='type-minutes').type('7')
    alice.find(marker='type-submit').click()
    assert await field_error(alice, 'type-minutes') == 'Length: a number of minutes from 5 to 240, in steps of 5.'
    assert count(alice, 'type-row') == 1
    alice.find(marker='type-name').clear()
    alice.find(marker='type-minutes').clear().type('15')
    alice.find(marker='type-submit').click()
    assert await field_error(alice, 'type-name') == 'Name is required.'
    assert count(alice, 'type-row') == 1


async def test_a_chosen_kind_that_is_removed_gives_way_to_the_first_and_the_patient_is_told(browser):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await add_long_visit(alice)
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    choose_kind(maria, LONG)
    await until(lambda: '16:30' not in slot_labels(maria), timeout=WAIT / 10)

    with alice:
        remove = [b for b in alice.find(marker='type-remove').elements if 'Long visit' in b.props['aria-label']]
    UserInteraction(alice, set(remove), None).click()
    await alice.should_see(marker='confirm-accept', retries=WAIT)
    alice.find(marker='confirm-accept').click()

    await maria.should_see(
        'Long visit is no longer offered by this doctor. Showing Consultation instead.', retries=WAIT
    )
    assert kind_options(maria) == ['Consultation (30 min)']
    assert '16:30' in slot_labels(maria)


async def test_a_kind_for_the_desk_only_is_offered_to_the_desk_and_the_address_keeps_the_chosen_kind(browser):
    monday = next_monday()
    alice, maria, desk = browser(), browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'type-submit')
    alice.find(marker='type-name').type('Vaccination')
    alice.find(marker='type-minutes').type('10')
    alice.find(marker='type-patients').click()  # not for patients to book themselves
    alice.find(marker='type-submit').click()
    await alice.should_see('Vaccination · 10 min · front desk only', retries=WAIT)

    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    assert kind_options(maria) == ['Consultation (30 min)']

    await sign_in(desk, 'admin@clinic.example')
    await open_page(desk, '/desk', 'desk-search')
    desk.find(marker='desk-search').type('Maria')
    await desk.should_see(marker='desk-book', retries=WAIT)
    desk.find(marker='desk-book').click()
    await desk.should_see(marker='book-type', retries=WAIT)
    await until(lambda: 'Vaccination (10 min)' in kind_options(desk), timeout=WAIT / 10)
    desk.find(marker='book-date').clear().type(monday.isoformat())
    await desk.should_see(f'on {monday:%A} {monday.day} {monday:%B %Y}', retries=WAIT)
    await shows_times(desk)
    choose_kind(desk, 'Vaccination (10 min)')
    vaccination = element(desk, 'book-type').value
    await until(lambda: element(desk, 'slot-grid').props['kind'] == str(vaccination), timeout=WAIT / 10)
    pick(desk, '09:00')
    desk.find(marker='book-submit').click()
    await desk.should_see('Booked for Maria Lopez', retries=WAIT)

    await maria.open(f'/book?doctor=1&day={monday}&type={vaccination}')  # not hers to pick, even by its address
    await shows_times(maria)
    assert element(maria, 'book-type').value != vaccination and kind_options(maria) == ['Consultation (30 min)']
    assert '09:00' not in slot_labels(maria)  # the vaccination took it


async def test_the_address_keeps_the_chosen_kind_across_a_reload(browser):
    monday = next_monday()
    alice, maria = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await add_long_visit(alice)
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    choose_kind(maria, LONG)
    long_id = element(maria, 'book-type').value
    await maria.open(f'/book?doctor=1&day={monday}&type={long_id}')
    await shows_times(maria)
    assert element(maria, 'book-type').value == long_id
    assert '16:30' not in slot_labels(maria) and '16:00' in slot_labels(maria)


async def add_kind(alice, name: str, minutes: str, *, after: str = '', patients: bool = True) -> None:
    await open_page(alice, '/schedule', 'type-submit')
    alice.find(marker='type-name').type(name)
    alice.find(marker='type-minutes').type(minutes)
    if after:
        alice.find(marker='type-after').type(after)
    if not patients:
        alice.find(marker='type-patients').click()
    alice.find(marker='type-submit').click()
    await alice.should_see(f'{name} · {minutes} min', retries=WAIT)


async def test_a_patient_moving_a_visit_only_the_desk_books_sees_that_kinds_times_and_moves_it(browser):
    monday = next_monday()
    alice, desk, maria = browser(), browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await add_kind(alice, 'Long visit', '60', after='10', patients=False)
    await sign_in(desk, 'admin@clinic.example')
    await open_page(desk, '/desk', 'desk-search')
    desk.find(marker='desk-search').type('Maria')
    await desk.should_see(marker='desk-book', retries=WAIT)
    desk.find(marker='desk-book').click()
    await desk.should_see(marker='book-type', retries=WAIT)
    desk.find(marker='book-date').clear().type(monday.isoformat())
    await desk.should_see(f'on {monday:%A} {monday.day} {monday:%B %Y}', retries=WAIT)
    await shows_times(desk)
    choose_kind(desk, 'Long visit (60 min)')
    await until(lambda: '16:00' not in slot_labels(desk), timeout=WAIT / 10)  # 16:00 would keep 17:00-17:10
    pick(desk, '09:00')
    desk.find(marker='book-submit').click()
    await desk.should_see('Booked for Maria Lopez', retries=WAIT)

    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, '/appointments', 'appointments-shown')
    maria.find(marker='appointment-move').click()
    await maria.should_see(marker='moving-banner', retries=WAIT)
    await shows_times(maria)
    assert kind_options(maria) == ['Long visit (60 min)']
    assert '15:30' in slot_labels(maria) and '16:00' not in slot_labels(maria)
    pick(maria, '14:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('14:00 – 15:00', retries=WAIT)


async def test_switching_doctor_says_nothing_is_free_only_when_so(browser):
    monday = next_monday()
    alice, maria = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await add_long_visit(alice)
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    choose_kind(maria, LONG)
    await until(lambda: '16:30' not in slot_labels(maria), timeout=WAIT / 10)

    maria.find(marker='book-doctor').click()
    maria.find(next(v for v in element(maria, 'book-doctor').options.values() if v.startswith('Dr. Bob Jones'))).click()
    await maria.should_see(f'Dr. Bob Jones on {monday:%A}', retries=WAIT)
    await until(lambda: '16:30' in slot_labels(maria), timeout=WAIT / 10)
    assert not element(maria, 'slots-empty').visible


async def test_an_appointment_whose_kind_was_removed_cannot_be_moved_and_the_patient_is_told_why(browser):
    monday = next_monday()
    alice, maria = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await add_long_visit(alice)
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_day(maria, monday)
    choose_kind(maria, LONG)
    await until(lambda: '16:30' not in slot_labels(maria), timeout=WAIT / 10)
    pick(maria, '09:00')
    maria.find(marker='book-submit').click()
    await maria.should_see('Booked: Dr. Alice Smith', retries=WAIT)
    with alice:
        remove = [b for b in alice.find(marker='type-remove').elements if 'Long visit' in b.props['aria-label']]
    UserInteraction(alice, set(remove), None).click()
    await alice.should_see(marker='confirm-accept', retries=WAIT)
    alice.find(marker='confirm-accept').click()
    await alice.should_see('Long visit removed.', retries=WAIT)

    await open_page(maria, '/appointments', 'appointments-shown')
    maria.find(marker='appointment-move').click()
    await maria.should_see('Long visit is no longer offered', retries=WAIT)
    await maria.should_see('This appointment cannot be moved to another time. Cancel it and book a new one.')
    assert slot_labels(maria) == []
