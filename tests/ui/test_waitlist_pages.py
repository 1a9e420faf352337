"""The waitlist in the pages (User fixture, the real app): Maria joins from /book for a full day, sees her entry on
/appointments, and when time frees up the offer opens on whatever page she is on; accepting books it."""

from datetime import timedelta

from nicegui import ElementFilter, app
from sqlmodel import select

from models import User
from pages.components.slot_grid import SlotGrid
from services.availability import InTheWay, mark_unavailable
from services.booking import book, cancel
from services.i18n import day_in, when_in
from tests.factories import BERLIN, local
from tests.ui.conftest import WAIT, count, next_monday, open_page, sign_in, slot_labels
from tests.waiting import until


def held(user) -> list[str]:
    """The held times the browser's grid shows (not bookable)."""
    with user:
        [grid] = list(ElementFilter(kind=SlotGrid))
    return list(grid.state['held']) if grid.state else []


def ids() -> dict[str, int]:
    with app.state.clinic.db.reading() as session:
        return {u.email: u.id for u in session.exec(select(User)).all() if u.email}


def full_day(day):
    """Dr. Alice Smith's day: 09:00 booked by James, the rest blocked; returns James's booking."""
    clinic, people = app.state.clinic, ids()
    james = book(clinic, actor_id=people['james.lee@mail.example'], doctor_id=1, starts_at=local(day, 9))
    mark_unavailable(
        clinic,
        actor_id=people['alice.smith@clinic.example'],
        doctor_id=1,
        starts_at=local(day, 9, 30),
        ends_at=local(day, 18),
        in_the_way=InTheWay.keep,
    )
    return james


async def test_a_patient_joins_from_the_booking_page_and_accepts_the_time_offered_on_another_page(browser):
    day = next_monday() + timedelta(days=7)
    james = full_day(day)
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    await open_page(maria, f'/book?doctor=1&day={day}', 'waitlist-join')
    await maria.should_see(f'on {day:%A} {day.day} {day:%B %Y}', retries=WAIT)
    assert slot_labels(maria) == []
    maria.find(marker='waitlist-join').click()
    await maria.should_see(marker='waitlist-from', retries=WAIT)
    maria.find(marker='waitlist-from').type('09:00')
    maria.find(marker='waitlist-until').type('12:00')
    maria.find(marker='confirm-accept').click()
    await maria.should_see('On the waitlist', retries=WAIT)

    await open_page(maria, '/appointments', 'waitlist-row')  # she goes elsewhere
    await maria.should_see(f'{day_in("en", day)}, 09:00-12:00', retries=WAIT)
    assert count(maria, 'offer-accept') == 0
    james_tab = browser()  # James, watching that day (his own 09:00 is what he cancels)
    await sign_in(james_tab, 'james.lee@mail.example')
    await open_page(james_tab, f'/book?doctor=1&day={day}', 'waitlist-join')
    await james_tab.should_see(f'on {day:%A} {day.day} {day:%B %Y}', retries=WAIT)
    cancel(app.state.clinic, actor_id=ids()['james.lee@mail.example'], appointment_id=james.id)
    await maria.should_see(marker='offer-accept', retries=WAIT)  # live, without a reload
    await until(lambda: held(james_tab) == ['09:00'])  # shown held to the others, live
    assert slot_labels(james_tab) == []  # never bookable for them
    await maria.should_see(f'Dr. Alice Smith, {when_in("en", local(day, 9), BERLIN)}', retries=WAIT)
    maria.find(marker='offer-accept').click()
    await maria.should_see(marker='appointment-row', retries=WAIT)
    await maria.should_not_see(marker='offer-accept', retries=WAIT)
    await maria.should_not_see(marker='waitlist-row', retries=WAIT)  # served: off the list


async def test_declining_closes_the_offer_and_frees_the_time(browser):
    day = next_monday() + timedelta(days=7)
    james = full_day(day)
    maria = browser()
    await sign_in(maria, 'maria.lopez@mail.example')
    from services.waitlist import join_waitlist

    join_waitlist(app.state.clinic, actor_id=ids()['maria.lopez@mail.example'], doctor_id=1, first_day=day)
    await open_page(maria, '/profile', 'profile-submit')
    cancel(app.state.clinic, actor_id=ids()['james.lee@mail.example'], appointment_id=james.id)
    await maria.should_see(marker='offer-decline', retries=WAIT)
    maria.find(marker='offer-decline').click()
    await maria.should_see('Declined: the time goes to the next patient waiting.', retries=WAIT)
    await maria.should_not_see(marker='offer-decline', retries=WAIT)
    await open_page(maria, f'/book?doctor=1&day={day}', 'waitlist-join')
    await until(lambda: slot_labels(maria) == ['09:00'])  # free to everyone again


async def test_the_front_desk_sees_a_doctors_waitlist_and_holds_a_chosen_time_for_a_patient(browser):
    from services.offers import offers_of_patient
    from services.waitlist import join_waitlist

    day = next_monday() + timedelta(days=7)
    full_day(day)
    people = ids()
    join_waitlist(app.state.clinic, actor_id=people['maria.lopez@mail.example'], doctor_id=1, first_day=day)
    desk = browser()
    await sign_in(desk, 'admin@clinic.example')
    await open_page(desk, '/admin/doctors/1/schedule', 'waitlist-doctor-row')
    await desk.should_see('1. Maria Lopez', retries=WAIT)
    desk.find(marker='waitlist-offer').click()
    await desk.should_see(marker='waitlist-offer-time', retries=WAIT)
    tuesday = day + timedelta(days=1)
    desk.find(marker='waitlist-offer-time').clear().type(f'{tuesday} 10:00')
    desk.find(marker='confirm-accept').click()
    await desk.should_see('Held for Maria Lopez', retries=WAIT)
    [offer] = offers_of_patient(app.state.clinic, actor_id=people['maria.lopez@mail.example'])
    assert offer.starts_at == local(tuesday, 10)
    await desk.should_see('a time is held for them', retries=WAIT)
    assert count(desk, 'waitlist-offer') == 0
