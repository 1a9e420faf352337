"""Every booking, move and cancellation, whoever makes it, sends the patient exactly one e-mail with a calendar
invitation that keeps one UID, raises its SEQUENCE and says REQUEST or CANCEL, in the clinic's time zone."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from services.availability import InTheWay, mark_unavailable
from services.booking import book, cancel, reschedule
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.outbox import send_due
from tests.factories import (
    BERLIN,
    NEXT_MONDAY,
    Mailbox,
    admin_id,
    create_doctor,
    create_patient,
    local,
    make_clinic,
    text_of,
)


@pytest.fixture
def mailed(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, clinic_address='1 Main St', **mailbox.settings)
        yield clinic, mailbox
        clinic.db.dispose()


def delivered(clinic, mailbox, address):
    send_due(clinic)
    return mailbox.to(address)


def invitation_of(mail):
    [part] = [part for part in mail.walk() if part.get_content_type() == 'text/calendar']
    calendar = Calendar.from_ical(part.get_content())
    [event] = calendar.walk('VEVENT')
    return calendar, event


def test_booking_moving_and_cancelling_each_send_one_mail_whose_invitation_updates_the_same_entry(mailed):
    clinic, mailbox = mailed
    doctor, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='Back pain')
    [booked] = delivered(clinic, mailbox, maria.email)
    assert booked['Subject'] == 'Booked: Dr. Alice Smith, Mon 30 Nov 2026, 10:00'
    calendar, event = invitation_of(booked)
    assert calendar['METHOD'] == 'REQUEST' and event['SEQUENCE'] == 0 and event['DESCRIPTION'] == 'Back pain'
    assert event.decoded('DTSTART') == local(NEXT_MONDAY, 10) and event['DTSTART'].params['TZID'] == 'Europe/Berlin'
    assert event.decoded('DTEND') - event.decoded('DTSTART') == timedelta(minutes=30)
    assert calendar.walk('VTIMEZONE') and 'Main St' in str(event['LOCATION'])
    uid = event['UID']

    reschedule(clinic, actor_id=maria.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 14))
    [_, moved] = delivered(clinic, mailbox, maria.email)
    calendar, event = invitation_of(moved)
    assert (calendar['METHOD'], event['UID'], event['SEQUENCE']) == ('REQUEST', uid, 1)
    assert event.decoded('DTSTART').astimezone(BERLIN) == local(NEXT_MONDAY, 14)

    cancel(clinic, actor_id=maria.id, appointment_id=info.id)
    [_, _, cancelled] = delivered(clinic, mailbox, maria.email)
    calendar, event = invitation_of(cancelled)
    assert (calendar['METHOD'], event['UID'], event['SEQUENCE'], event['STATUS']) == ('CANCEL', uid, 2, 'CANCELLED')
    assert cancelled['Subject'].startswith('Cancelled: Dr. Alice Smith')
    assert len(mailbox.received) == 3


def test_the_desk_and_a_block_over_the_appointment_send_the_same_confirmations_without_the_patients_words(mailed):
    clinic, mailbox = mailed
    doctor, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    book(
        clinic,
        actor_id=admin_id(clinic),
        patient_id=maria.id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 10),
        reason='Desk note',
    )
    [booked] = delivered(clinic, mailbox, maria.email)
    assert 'DESCRIPTION' not in invitation_of(booked)[1]  # the reason goes in only when the patient wrote it
    mark_unavailable(
        clinic,
        actor_id=doctor.user_id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 9),
        ends_at=local(NEXT_MONDAY, 12),
        in_the_way=InTheWay.cancel,
    )
    [_, cancelled] = delivered(clinic, mailbox, maria.email)
    assert invitation_of(cancelled)[0]['METHOD'] == 'CANCEL'
    text = next(part for part in cancelled.walk() if part.get_content_type() == 'text/plain').get_content()
    assert DOCTOR_UNAVAILABLE in text


def test_no_confirmation_when_the_clinic_sends_none(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, patient_confirmations=False, **mailbox.settings)
        doctor, maria = create_doctor(clinic), create_patient(clinic)
        book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
        assert send_due(clinic) == 0 and mailbox.received == []
        clinic.db.dispose()


def test_a_clinic_can_send_each_doctor_the_invitations_of_their_appointments_without_the_patients_words(
    tmp_path, database_url
):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, doctor_confirmations=True, **mailbox.settings)
        doctor, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria Lopez')
        info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), reason='Rash')
        reschedule(clinic, actor_id=maria.id, appointment_id=info.id, starts_at=local(NEXT_MONDAY, 14))
        cancel(clinic, actor_id=maria.id, appointment_id=info.id)
        doctors = delivered(clinic, mailbox, doctor.email)
        patients = mailbox.to(maria.email)
        clinic.db.dispose()
    assert [mail['Subject'].partition(':')[0] for mail in doctors] == ['Booked', 'Moved', 'Cancelled']
    assert doctors[0]['Subject'] == 'Booked: Maria Lopez, Mon 30 Nov 2026, 10:00'
    events = [invitation_of(mail) for mail in doctors]
    assert [(calendar['METHOD'], event['SEQUENCE']) for calendar, event in events] == [
        ('REQUEST', 0),
        ('REQUEST', 1),
        ('CANCEL', 2),
    ]
    assert {event['UID'] for _, event in events} == {invitation_of(patients[0])[1]['UID']}  # one entry, both sides
    assert all(str(event['SUMMARY']).endswith('with Maria Lopez') and 'DESCRIPTION' not in event for _, event in events)
    assert all('Rash' not in text_of(mail) for mail in doctors)
    assert [invitation_of(mail)[1]['SEQUENCE'] for mail in patients] == [0, 1, 2]  # the patient's own count
