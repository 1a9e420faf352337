"""No click is irreversible by accident: Cancel and removing a period ask first and say what will happen; staff
give the patient a reason from a short list; overlapping periods offer to extend the one already there; the
doctor is told which times an admin changed."""

from services.cancel_reasons import STAFF_CANCEL_REASONS
from tests.ui.conftest import WAIT, count, next_monday, open_day, open_page, pick, seen_popups, sign_in
from tests.waiting import until

REASON = 'Please book a new time.'


def fill_period(user, day, start: str, end: str, reason: str = 'Conference') -> None:
    user.find(marker='unavailability-start').clear().type(f'{day} {start}')
    user.find(marker='unavailability-end').clear().type(f'{day} {end}')
    user.find(marker='unavailability-reason').clear().type(reason)
    user.find(marker='unavailability-submit').click()


async def accept(user) -> None:
    """Wait for the question, then accept it."""
    await user.should_see(marker='confirm-accept', retries=WAIT)
    user.find(marker='confirm-accept').click()


async def book_at(user, day, time: str) -> None:
    await open_day(user, day)
    pick(user, time)
    user.find(marker='book-submit').click()
    await user.should_see('Booked: Dr. Alice Smith', retries=WAIT)


async def test_a_patient_cancelling_is_asked_first_and_going_back_changes_nothing(browser, popups):
    monday = next_monday()
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_at(maria, monday, '10:00')
    await open_page(maria, '/appointments', 'appointments-shown')

    maria.find(marker='appointment-cancel').click()
    await maria.should_see(marker='confirm-dialog', retries=WAIT)
    await maria.should_see('Dr. Alice Smith')
    await maria.should_see('free for others')
    assert count(maria, 'confirm-reason') == 0  # a patient cancelling their own gives no reason
    maria.find(marker='confirm-back').click()
    await maria.should_not_see(marker='confirm-dialog', retries=WAIT)
    await maria.should_see('Booked')
    assert count(maria, 'appointment-cancel') == 1

    maria.find(marker='appointment-cancel').click()
    await accept(maria)
    await maria.should_see('Cancelled', retries=WAIT)
    assert count(maria, 'appointment-cancel') == 0


async def test_a_doctor_cancelling_picks_a_reason_the_patient_sees_live(browser, popups):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_at(maria, monday, '10:00')
    await open_page(maria, '/appointments', 'appointments-shown')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/appointments', 'appointments-shown')

    alice.find(marker='appointment-cancel').click()
    await alice.should_see(marker='confirm-reason', retries=WAIT)
    await alice.should_see('Maria Lopez')
    await alice.should_see('is told')
    alice.find(marker='confirm-reason').click()
    for reason in STAFF_CANCEL_REASONS:
        await alice.should_see(reason)
    alice.find(REASON).click()
    await accept(alice)

    await maria.should_see('Cancelled', retries=WAIT)
    await maria.should_see(REASON)
    assert any(
        p.startswith('Your appointment with Dr. Alice Smith on') and p.endswith(REASON)
        for p in seen_popups(maria, popups)
    )


async def test_a_doctor_clicking_straight_through_sends_a_reason_that_is_true_whatever_the_cause(browser, popups):
    monday = next_monday()
    maria, alice = browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_at(maria, monday, '10:00')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/appointments', 'appointments-shown')

    alice.find(marker='appointment-cancel').click()
    await accept(alice)  # no reason picked: the one offered first goes to the patient

    await open_page(maria, '/appointments', 'appointments-shown')
    await maria.should_see('Cancelled by Dr. Alice Smith. Please book a new time.', retries=WAIT)


async def test_removing_a_period_asks_first(browser, popups):
    monday = next_monday()
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    fill_period(alice, monday, '09:00', '11:30')
    await alice.should_see(marker='unavailability-row', retries=WAIT)

    alice.find(marker='unavailability-remove').click()
    await alice.should_see(marker='confirm-dialog', retries=WAIT)
    await alice.should_see('bookable again')
    alice.find(marker='confirm-back').click()
    await alice.should_not_see(marker='confirm-dialog', retries=WAIT)
    assert count(alice, 'unavailability-row') == 1

    alice.find(marker='unavailability-remove').click()
    await accept(alice)
    await alice.should_see('No unavailability planned.', retries=WAIT)


async def test_a_duplicate_is_refused_and_an_overlap_offers_to_extend_the_period_already_there(browser, popups):
    monday = next_monday()
    alice = browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    fill_period(alice, monday, '09:00', '11:00')
    await alice.should_see(marker='unavailability-row', retries=WAIT)

    fill_period(alice, monday, '09:00', '11:00')
    await alice.should_see('already marked unavailable', retries=WAIT)
    [message] = alice.find(marker='unavailability-message').elements  # under the form, not squeezed into a field
    assert 'already marked unavailable' in message.text and message.visible
    assert count(alice, 'unavailability-row') == 1

    fill_period(alice, monday, '10:00', '12:00')
    await alice.should_see(marker='confirm-dialog', retries=WAIT)
    await alice.should_see('09:00 – 12:00')  # what the period becomes
    await accept(alice)
    await alice.should_see('09:00 – 12:00', retries=WAIT)
    await alice.should_not_see(marker='confirm-dialog', retries=WAIT)
    assert count(alice, 'unavailability-row') == 1


async def test_the_doctor_is_told_which_times_an_admin_changed(browser, popups):
    monday = next_monday()
    admin, alice = browser(), browser()
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/schedule', 'unavailability-submit')
    await sign_in(admin, 'admin@clinic.example')
    await open_page(admin, '/admin/doctors/1/schedule', 'unavailability-submit')
    span = f'{monday:%a} {monday.day} {monday:%b %Y}, 15:00 – 17:00'

    fill_period(admin, monday, '15:00', '17:00', 'Training')
    await alice.should_see(marker='unavailability-row', retries=WAIT)
    assert f'Schedule changed by Clinic Admin: marked {span} unavailable.' in seen_popups(alice, popups)

    admin.find(marker='unavailability-remove').click()
    await accept(admin)
    await alice.should_see('No unavailability planned.', retries=WAIT)
    assert f'Schedule changed by Clinic Admin: removed the unavailable period {span}.' in seen_popups(alice, popups)


async def test_an_edit_that_overlaps_another_period_offers_to_merge_them(browser, popups):
    monday = next_monday()
    tab1, tab2 = browser(), browser()
    for tab in (tab1, tab2):
        await sign_in(tab, 'alice.smith@clinic.example')
        await open_page(tab, '/schedule', 'unavailability-submit')
    fill_period(tab1, monday, '13:00', '14:00')
    await tab1.should_see(marker='unavailability-row', retries=WAIT)
    tab1.find(marker='unavailability-edit').click()
    await tab1.should_see('Save changes')
    fill_period(tab2, monday, '09:00', '10:00')  # meanwhile, in her other tab
    await tab1.should_see('09:00 – 10:00', retries=WAIT)

    fill_period(tab1, monday, '09:30', '11:00')
    await tab1.should_see('The period you were editing is then removed.', retries=WAIT)
    await accept(tab1)
    await tab2.should_see('09:00 – 11:00', retries=WAIT)
    await until(lambda: count(tab2, 'unavailability-row') == 1, timeout=WAIT / 10)
    await tab1.should_not_see('Save changes', retries=WAIT)


async def test_the_question_stays_open_while_the_list_behind_it_changes(browser, popups):
    monday = next_monday()
    maria, james, alice = browser(), browser(), browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await book_at(maria, monday, '10:00')
    await sign_in(alice, 'alice.smith@clinic.example')
    await open_page(alice, '/appointments', 'appointments-shown')
    alice.find(marker='appointment-cancel').click()
    await alice.should_see(marker='confirm-dialog', retries=WAIT)

    await sign_in(james, 'james.lee@mail.example')
    await book_at(james, monday, '11:00')  # the doctor's list is rebuilt behind her open question
    await until(lambda: count(alice, 'appointment-row') == 2, timeout=WAIT / 10)
    await alice.should_see(marker='confirm-dialog')
    await accept(alice)
    await until(lambda: count(alice, 'appointment-cancel') == 1, timeout=WAIT / 10)


async def test_the_removal_question_survives_a_change_from_another_tab(browser, popups):
    monday = next_monday()
    tab1, tab2 = browser(), browser()
    for tab in (tab1, tab2):
        await sign_in(tab, 'alice.smith@clinic.example')
        await open_page(tab, '/schedule', 'unavailability-submit')
    fill_period(tab1, monday, '09:00', '10:00')
    await tab1.should_see(marker='unavailability-row', retries=WAIT)
    tab1.find(marker='unavailability-remove').click()
    await tab1.should_see(marker='confirm-dialog', retries=WAIT)

    fill_period(tab2, monday, '15:00', '16:00')  # tab 1's list is rebuilt behind its open question
    await until(lambda: count(tab1, 'unavailability-row') == 2, timeout=WAIT / 10)
    await accept(tab1)
    await until(lambda: count(tab2, 'unavailability-row') == 1, timeout=WAIT / 10)
    await tab2.should_see('15:00 – 16:00')
