"""The front desk books, moves and registers for patients through the same services, with the same guarantees."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import Appointment, AuditRecord, Notification, Role, User
from services.accounts import WRONG, create_account, sign_in
from services.booking import AlreadyBookedThatDay, NothingFreeToday, book, book_walk_in, reschedule
from services.desk import (
    PossibleDuplicates,
    normalise_phone,
    patient_card,
    register_patient_at_desk,
    search_patients,
)
from services.errors import InvalidInput, InvalidInputs, NotAllowed, NotFound, SignInRefused, SlotTaken
from services.live.events import Change, InboxChanged, ScheduleChanged
from services.notifications import inbox
from services.outbox import send_due
from services.read_models.free_time import day_slots
from tests.factories import (
    NEXT_MONDAY,
    NOW,
    Mailbox,
    admin_id,
    appointments_seen_by,
    create_doctor,
    create_patient,
    local,
    make_clinic,
    published,
    text_of,
)

TODAY = NOW.astimezone(local(NEXT_MONDAY, 0).tzinfo).date()  # Wednesday


def labels(clinic, doctor_id, day=NEXT_MONDAY):
    return [s.label for s in day_slots(clinic, doctor_id=doctor_id, day=day).slots]


def test_the_desk_books_for_a_patient_who_sees_it_live_in_their_list_and_inbox(clinic):
    doctor, patient, desk = create_doctor(clinic, 'Dr. Bob'), create_patient(clinic, 'James Lee'), admin_id(clinic)
    info = book(clinic, actor_id=desk, patient_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))

    assert (info.patient_id, info.patient_name) == (patient.id, 'James Lee')
    assert '10:00' not in labels(clinic, doctor.id)
    assert [a.id for a in appointments_seen_by(clinic, patient.id)] == [info.id]
    [message] = inbox(clinic, actor_id=patient.id).messages
    assert 'Dr. Bob' in message.text and '10:00' in message.text
    booked, told = published(clinic)
    assert isinstance(booked, ScheduleChanged) and booked.change is Change.booked
    assert booked.patient_ids == {patient.id} and booked.actor_id == desk and booked.touches(doctor.id, NEXT_MONDAY)
    assert told == InboxChanged(user_id=patient.id)
    with clinic.db.reading() as session:
        audit = session.exec(select(AuditRecord).where(AuditRecord.action == 'appointment.booked')).one()
        admin_name = session.get_one(User, desk).full_name
    assert audit.actor_id == desk
    assert message.text.endswith(f'by {admin_name}.')


def test_a_patient_booking_for_themself_is_not_told_in_the_inbox(clinic):
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    assert inbox(clinic, actor_id=patient.id).messages == ()
    assert not any(isinstance(event, InboxChanged) for event in published(clinic))


def test_the_desk_booking_is_mailed_to_a_patient_with_an_address_only(tmp_path):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, **mailbox.settings)
        doctor, desk = create_doctor(clinic, 'Dr. Bob'), admin_id(clinic)
        patient = create_patient(clinic, 'James Lee')
        walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Wal King', phone='0176 1234567')
        book(clinic, actor_id=desk, patient_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
        book(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11))
        send_due(clinic)
        [mail] = mailbox.to(patient.email)
        assert mail['Subject'].startswith('Booked: Dr. Bob') and '10:00' in text_of(mail)
        assert len(mailbox.received) == 1
        clinic.db.dispose()


def test_the_desk_cannot_book_a_taken_time_nor_past_the_patients_limits(clinic):
    doctor, desk = create_doctor(clinic), admin_id(clinic)
    patient, other = create_patient(clinic), create_patient(clinic)
    book(clinic, actor_id=other.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    with pytest.raises(SlotTaken, match='10:00 was just taken'):
        book(clinic, actor_id=desk, patient_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    book(clinic, actor_id=desk, patient_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11))
    with pytest.raises(AlreadyBookedThatDay):  # the desk is asked, as the patient would be
        book(clinic, actor_id=desk, patient_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 14))
    book(
        clinic,
        actor_id=desk,
        patient_id=patient.id,
        doctor_id=doctor.id,
        starts_at=local(NEXT_MONDAY, 14),
        second_that_day=True,
    )
    with pytest.raises(InvalidInput, match='the most the clinic allows with one doctor on one day'):
        book(
            clinic,
            actor_id=desk,
            patient_id=patient.id,
            doctor_id=doctor.id,
            starts_at=local(NEXT_MONDAY, 15),
            second_that_day=True,
        )


@pytest.mark.parametrize('whom', ['doctor', 'admin', 'deactivated patient', 'nobody'])
def test_the_desk_books_only_for_an_active_patient(clinic, whom):
    doctor, desk, patient = create_doctor(clinic), admin_id(clinic), create_patient(clinic)
    with clinic.db.writing() as session:
        session.get_one(User, patient.id).is_active = False
    target = {'doctor': doctor.user_id, 'admin': desk, 'deactivated patient': patient.id, 'nobody': 10_000}[whom]
    with pytest.raises((NotFound, NotAllowed)):
        book(clinic, actor_id=desk, patient_id=target, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    assert labels(clinic, doctor.id)[:3] == ['09:00', '09:30', '10:00']


def test_a_patient_cannot_book_for_another_patient(clinic):
    doctor, patient, other = create_doctor(clinic), create_patient(clinic), create_patient(clinic)
    with pytest.raises(NotAllowed):
        book(clinic, actor_id=patient.id, patient_id=other.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    assert appointments_seen_by(clinic, other.id) == ()


def test_the_desk_moves_a_patients_appointment_and_the_patient_is_told(clinic):
    doctor, patient, desk = create_doctor(clinic, 'Dr. Bob'), create_patient(clinic), admin_id(clinic)
    first = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    moved = reschedule(clinic, actor_id=desk, appointment_id=first.id, starts_at=local(NEXT_MONDAY, 14))
    assert moved.patient_id == patient.id and moved.starts_at == local(NEXT_MONDAY, 14)
    assert '10:00' in labels(clinic, doctor.id) and '14:00' not in labels(clinic, doctor.id)
    [message] = inbox(clinic, actor_id=patient.id).messages
    assert 'was moved to' in message.text and '14:00' in message.text
    assert published(clinic)[-1] == InboxChanged(user_id=patient.id)


def test_an_unclaimed_patient_cannot_sign_in_with_any_password(clinic):
    desk = admin_id(clinic)
    register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567', email='ann@mail.example')
    for password in ('', 'not-a-real-password', 'anything-at-all'):
        with pytest.raises(SignInRefused, match=WRONG):
            sign_in(clinic, email='ann@mail.example', password=password)


def test_registering_at_the_desk_makes_an_unclaimed_patient_with_a_normalised_phone(clinic):
    desk = admin_id(clinic)
    card = register_patient_at_desk(clinic, actor_id=desk, full_name='  Ann Walk ', phone='0049 (30) 123-4567')
    assert (card.full_name, card.email, card.phone, card.claimed) == ('Ann Walk', '', '+49301234567', False)
    with_email = register_patient_at_desk(
        clinic, actor_id=desk, full_name='Bo Call', phone='030 7654321', email=' Bo@Mail.Example '
    )
    assert with_email.email == 'bo@mail.example'
    with clinic.db.reading() as session:
        bo = session.get_one(User, with_email.id)
        assert bo.email_confirmed_at is not None and bo.password_hash == ''
        assert session.get_one(User, card.id).email is None
        assert session.exec(select(AuditRecord).where(AuditRecord.action == 'patient.registered')).all()


def test_every_problem_of_the_new_patient_form_is_named_at_once(clinic):
    with pytest.raises(InvalidInputs) as refused:
        register_patient_at_desk(clinic, actor_id=admin_id(clinic), full_name=' ', phone='call me', email='nope')
    assert [p.field for p in refused.value.problems] == ['full_name', 'phone', 'email']


@pytest.mark.parametrize(
    ('typed', 'kept'),
    [('030 1234567', '0301234567'), ('+49 30 123 4567', '+49301234567'), ('0049-30/1234567', '+49301234567')],
)
def test_phone_numbers_keep_their_digits_and_a_leading_plus(typed, kept):
    assert normalise_phone(typed) == kept


@pytest.mark.parametrize('typed', ['', '12345', '+49 30 12a4567', '1234567890123456', '++491234567'])
def test_a_phone_that_is_no_number_is_refused(typed):
    with pytest.raises(InvalidInput) as refused:
        normalise_phone(typed)
    assert refused.value.field == 'phone'


def test_the_same_name_and_phone_is_a_possible_duplicate_unless_the_desk_confirms(clinic):
    desk = admin_id(clinic)
    first = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567')
    with pytest.raises(PossibleDuplicates) as warned:
        register_patient_at_desk(clinic, actor_id=desk, full_name='ann walk', phone='030-123 4567')
    assert [m.id for m in warned.value.matches] == [first.id] and not warned.value.email_taken
    register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234568')  # another phone
    second = register_patient_at_desk(
        clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567', confirmed_duplicate=True
    )
    assert second.id != first.id


def test_a_known_email_is_a_duplicate_that_cannot_be_created_anyway(clinic):
    desk, patient = admin_id(clinic), create_patient(clinic, 'James Lee')
    for confirmed in (False, True):
        with pytest.raises(PossibleDuplicates) as warned:
            register_patient_at_desk(
                clinic,
                actor_id=desk,
                full_name='Jim',
                phone='030 1234567',
                email=patient.email.upper(),
                confirmed_duplicate=confirmed,
            )
        assert [m.full_name for m in warned.value.matches] == ['James Lee'] and warned.value.email_taken
    with pytest.raises(InvalidInput, match='already exists'):  # a doctor's or admin's email: not a patient to pick
        register_patient_at_desk(
            clinic, actor_id=desk, full_name='Jim', phone='030 1234567', email='admin@test.example'
        )


def test_searching_for_an_address_with_digits_finds_no_one_by_phone(clinic):
    desk = admin_id(clinic)
    walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='+49 30 1234567')
    ben = create_account(
        clinic, email='ben123@test.example', full_name='Ben Berg', password='patient-pass', role=Role.patient
    )
    assert [p.id for p in search_patients(clinic, actor_id=desk, text='ben123@test.example')] == [ben.id]
    assert [p.id for p in search_patients(clinic, actor_id=desk, text='(030) 123-45')] == [walk_in.id]


def test_search_finds_patients_by_name_email_or_phone_with_their_next_appointment(clinic):
    desk, doctor = admin_id(clinic), create_doctor(clinic, 'Dr. Bob')
    james = create_patient(clinic, 'James Lee')
    walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='+49 30 1234567')
    create_patient(clinic, 'Maria Lopez')
    later = book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 14))
    sooner = book(
        clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10), second_that_day=True
    )

    [found] = search_patients(clinic, actor_id=desk, text='jAmEs')
    assert found.id == james.id and found.next_appointment == sooner and found.upcoming == (sooner, later)
    assert [p.id for p in search_patients(clinic, actor_id=desk, text=james.email.upper())] == [james.id]  # any case
    assert [p.id for p in search_patients(clinic, actor_id=desk, text='030 123')] == [walk_in.id]
    assert search_patients(clinic, actor_id=desk, text='Dr. Bob') == []  # doctors are not patients
    assert search_patients(clinic, actor_id=desk, text='  ') == []
    assert search_patients(clinic, actor_id=desk, text='%') == []  # no wildcard lists everyone
    assert patient_card(clinic, actor_id=desk, patient_id=walk_in.id).phone == '+49301234567'


def test_search_shows_at_most_twenty_patients(clinic):
    from tests.factories import create_patients

    create_patients(clinic, 25)
    assert len(search_patients(clinic, actor_id=admin_id(clinic), text='Patient')) == 20


def test_a_walk_in_gets_the_doctors_next_free_time_today(clinic):
    desk, doctor, other = admin_id(clinic), create_doctor(clinic, 'Dr. Bob'), create_patient(clinic)
    walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567')
    clinic.clock.set(local(TODAY, 10, 10))
    book(clinic, actor_id=other.id, doctor_id=doctor.id, starts_at=local(TODAY, 10, 30))
    info = book_walk_in(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=doctor.id)
    assert (info.patient_id, info.starts_at, info.reason) == (walk_in.id, local(TODAY, 11), 'Walk-in')
    assert '11:00' not in labels(clinic, doctor.id, TODAY)
    assert published(clinic)[-1] == InboxChanged(user_id=walk_in.id)


def test_a_walk_in_skips_times_the_patient_has_elsewhere(clinic):
    desk, bob, alice = admin_id(clinic), create_doctor(clinic, 'Dr. Bob'), create_doctor(clinic, 'Dr. Alice')
    walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567')
    clinic.clock.set(local(TODAY, 10, 10))
    book(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=alice.id, starts_at=local(TODAY, 10, 30))
    info = book_walk_in(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=bob.id)
    assert info.starts_at == local(TODAY, 11)


def test_a_walk_in_after_the_last_slot_is_told_nothing_is_free_today(clinic):
    desk, doctor = admin_id(clinic), create_doctor(clinic, 'Dr. Bob')
    walk_in = register_patient_at_desk(clinic, actor_id=desk, full_name='Ann Walk', phone='030 1234567')
    clinic.clock.set(local(TODAY, 16, 40))
    with pytest.raises(NothingFreeToday, match=r'Dr\. Bob has no free time left today'):
        book_walk_in(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=doctor.id)
    clinic.clock.set(local(TODAY + timedelta(days=3), 10))  # a Saturday
    with pytest.raises(NothingFreeToday, match='does not work on Saturdays'):
        book_walk_in(clinic, actor_id=desk, patient_id=walk_in.id, doctor_id=doctor.id)
    with clinic.db.reading() as session:
        assert session.exec(select(Appointment)).all() == []
        assert session.exec(select(Notification)).all() == []


def test_the_desk_and_patients_racing_for_one_time_leave_one_booking(clinic):
    from collections import Counter

    from tests.factories import create_patients
    from tests.unit.test_no_double_booking import race

    doctor, desk = create_doctor(clinic), admin_id(clinic)
    walk_ins = [
        register_patient_at_desk(clinic, actor_id=desk, full_name=f'Walk In {n}', phone=f'030 100000{n}')
        for n in range(5)
    ]
    patients = create_patients(clinic, 5)
    clinic.clock.set(local(TODAY, 10, 10))
    attempts = [
        lambda p=p: book_walk_in(clinic, actor_id=desk, patient_id=p.id, doctor_id=doctor.id) for p in walk_ins
    ] + [lambda p=p: book(clinic, actor_id=p.id, doctor_id=doctor.id, starts_at=local(TODAY, 10, 30)) for p in patients]
    results = race(attempts)
    booked = [r for r in results if not isinstance(r, Exception)]
    starts = Counter(info.starts_at for info in booked)
    assert all(n == 1 for n in starts.values())  # never two at one time
    assert {type(r).__name__ for r in results} <= {'AppointmentInfo', 'SlotTaken'}
    assert all(r.patient_id == p.id for r, p in zip(results[:5], walk_ins, strict=True))  # found in the same lock
    assert sum(not isinstance(r, Exception) for r in results[5:]) <= 1  # 10:30 once, if no walk-in had it first


def test_two_desks_registering_one_email_at_once_make_one_patient(clinic):
    from tests.unit.test_no_double_booking import race

    desk = admin_id(clinic)
    results = race(
        [
            lambda n=n: register_patient_at_desk(
                clinic, actor_id=desk, full_name=f'Ann {n}', phone='030 1234567', email='ann@mail.example'
            )
            for n in range(4)
        ]
    )
    assert sorted(type(r).__name__ for r in results) == ['PatientCard'] + ['PossibleDuplicates'] * 3
    [registered] = [r for r in results if not isinstance(r, Exception)]
    assert all(r.matches[0].id == registered.id for r in results if isinstance(r, PossibleDuplicates))
