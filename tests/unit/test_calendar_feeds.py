"""A private calendar feed per doctor and per patient: their own appointments that are not cancelled, with the UID
and SEQUENCE of the invitations mailed about each, a doctor's without the patient's words; an address stops working
when a new one is made or it is turned off, and only its hash is stored."""

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import text
from sqlmodel import col, select

from models import AppointmentStatus, OutboxMail
from services.account_admin import set_active
from services.booking import book, cancel, reschedule
from services.calendar_feeds import FEED_PATH, feed_calendar, feed_status, open_feed, revoke_feed
from services.errors import InvalidInput, NotFound
from tests.factories import (
    NEXT_MONDAY,
    NOW,
    admin_id,
    appointment_row,
    create_doctor,
    create_patient,
    local,
    make_clinic,
)


def token_of(address: str) -> str:
    assert FEED_PATH in address and address.endswith('.ics')
    return address.rpartition('/')[2].removesuffix('.ics')


def events_of(clinic, address: str) -> list:
    """The feed's events, parsed as a calendar app would."""
    calendar = Calendar.from_ical(feed_calendar(clinic, token=token_of(address)))
    assert calendar['METHOD'] == 'PUBLISH'
    return calendar.walk('VEVENT')


@pytest.fixture
def mailing(tmp_path, database_url):
    """A clinic with a mail host, so each change writes its invitation into the outbox (nothing is sent here)."""
    clinic = make_clinic(tmp_path, database_url=database_url, smtp_host='127.0.0.1', smtp_from='clinic@test.example')
    yield clinic
    clinic.db.dispose()


def mailed_invitation(clinic, appointment_id: int):
    """The latest invitation the patient was mailed about an appointment, as written into the outbox."""
    with clinic.db.reading() as session:
        texts = session.exec(
            select(OutboxMail.calendar).where(OutboxMail.appointment_id == appointment_id).order_by(col(OutboxMail.id))
        ).all()
    [event] = Calendar.from_ical(texts[-1]).walk('VEVENT')
    return event


def test_a_doctors_feed_is_their_appointments_as_the_invitations_have_them_without_the_patients_words(mailing):
    clinic = mailing
    alice, bob = create_doctor(clinic, 'Dr. Alice Smith'), create_doctor(clinic, 'Dr. Bob Jones')
    maria, james = create_patient(clinic, 'Maria Lopez'), create_patient(clinic, 'James Lee')
    marias = book(clinic, actor_id=maria.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 10), reason='Back pain')
    reschedule(clinic, actor_id=maria.id, appointment_id=marias.id, starts_at=local(NEXT_MONDAY, 11))
    book(clinic, actor_id=james.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 9), reason='Cough')
    book(clinic, actor_id=james.id, doctor_id=bob.id, starts_at=local(NEXT_MONDAY, 14))  # Bob's, not Alice's

    feed = Calendar.from_ical(feed_calendar(clinic, token=token_of(open_feed(clinic, actor_id=alice.user_id))))
    assert str(feed['X-WR-CALNAME']) == 'Clinic – Dr. Alice Smith'
    events = {str(event['SUMMARY']): event for event in feed.walk('VEVENT')}
    assert sorted(events) == ['Consultation with James Lee', 'Consultation with Maria Lopez']
    event, mailed = events['Consultation with Maria Lopez'], mailed_invitation(clinic, marias.id)
    assert (event['UID'], event['SEQUENCE']) == (mailed['UID'], mailed['SEQUENCE']) == (mailed['UID'], 1)
    assert event.decoded('DTSTART') == local(NEXT_MONDAY, 11) and event['DTSTART'].params['TZID'] == 'Europe/Berlin'
    assert event.decoded('DTEND') - event.decoded('DTSTART') == timedelta(minutes=30)
    assert feed.walk('VTIMEZONE')
    ics = feed.to_ical().decode()
    assert 'Back pain' not in ics and 'Cough' not in ics and 'DESCRIPTION' not in ics


def test_a_patients_feed_is_only_their_own_appointments_with_their_own_words(clinic):
    alice = create_doctor(clinic, 'Dr. Alice Smith')
    maria, james = create_patient(clinic, 'Maria Lopez'), create_patient(clinic, 'James Lee')
    book(clinic, actor_id=maria.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 10), reason='Back pain')
    james_own = book(clinic, actor_id=james.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 11), reason='Cough')

    address = open_feed(clinic, actor_id=maria.id)
    [event] = events_of(clinic, address)
    assert str(event['SUMMARY']) == 'Consultation with Dr. Alice Smith' and event['DESCRIPTION'] == 'Back pain'
    ics = feed_calendar(clinic, token=token_of(address))
    assert 'James' not in ics and 'Cough' not in ics and f'appointment-{james_own.id}@' not in ics


def test_a_booking_appears_and_a_cancellation_disappears(clinic):
    alice, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria Lopez')
    addresses = open_feed(clinic, actor_id=maria.id), open_feed(clinic, actor_id=alice.user_id)
    assert [events_of(clinic, address) for address in addresses] == [[], []]

    info = book(clinic, actor_id=maria.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, 10))
    assert [len(events_of(clinic, address)) for address in addresses] == [1, 1]
    cancel(clinic, actor_id=maria.id, appointment_id=info.id)
    assert [events_of(clinic, address) for address in addresses] == [[], []]


def test_the_past_month_stays_in_the_feed_and_older_appointments_leave_it(clinic):
    alice, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria Lopez')
    with clinic.db.writing() as session:
        for days_ago, status in ((3, AppointmentStatus.completed), (20, AppointmentStatus.no_show), (40, None)):
            row = appointment_row(session, alice.id, maria.id, NOW - timedelta(days=days_ago))
            row.status = status or AppointmentStatus.completed
            row.reason = f'{days_ago} days ago'
            session.add(row)
    events = events_of(clinic, open_feed(clinic, actor_id=maria.id))
    assert sorted(str(event['DESCRIPTION']) for event in events) == ['20 days ago', '3 days ago']


def test_a_new_address_ends_the_old_one_and_turning_it_off_ends_it(clinic):
    maria = create_patient(clinic, 'Maria Lopez')
    assert feed_status(clinic, actor_id=maria.id).active_since is None
    first = open_feed(clinic, actor_id=maria.id)
    clinic.clock.advance(timedelta(days=1))
    second = open_feed(clinic, actor_id=maria.id)
    assert first != second and feed_status(clinic, actor_id=maria.id).active_since == NOW + timedelta(days=1)
    with pytest.raises(NotFound):
        feed_calendar(clinic, token=token_of(first))
    assert events_of(clinic, second) == []

    revoke_feed(clinic, actor_id=maria.id)
    assert feed_status(clinic, actor_id=maria.id).active_since is None
    for address in (first, second):
        with pytest.raises(NotFound):
            feed_calendar(clinic, token=token_of(address))
    for made_up in ('made-up', '', 'x' * 500):
        with pytest.raises(NotFound):
            feed_calendar(clinic, token=made_up)


def test_a_deactivated_persons_address_stops_working(clinic):
    maria = create_patient(clinic, 'Maria Lopez')
    address = open_feed(clinic, actor_id=maria.id)
    set_active(clinic, actor_id=admin_id(clinic), user_id=maria.id, active=False)
    with pytest.raises(NotFound):
        feed_calendar(clinic, token=token_of(address))


def test_the_front_desk_has_no_feed_of_its_own(clinic):
    with pytest.raises(InvalidInput, match='front desk has no appointments of its own'):
        open_feed(clinic, actor_id=admin_id(clinic))


def test_only_a_hash_of_the_address_is_stored(clinic):
    maria = create_patient(clinic, 'Maria Lopez')
    token = token_of(open_feed(clinic, actor_id=maria.id))
    assert len(token) >= 40  # 32 random bytes
    with clinic.db.engine.connect() as connection:
        [row] = connection.execute(text('SELECT * FROM calendar_feeds')).all()
    stored = ' '.join(str(value) for value in row)
    assert token not in stored and len(row.token_hash) == 64
