from datetime import timedelta

import pytest

from models import Role
from services.accounts import create_doctor, register_patient, sign_in, signed_in_person
from services.errors import InvalidInput, NotAllowed, SignInRefused
from services.read_models.free_time import day_slots
from services.schedule import list_doctors
from tests.factories import NEXT_MONDAY, admin_id, create_patient, make_clinic


def test_a_patient_signs_up_and_signs_in_with_the_email_in_any_case(clinic):
    answer = register_patient(clinic, email='Ann@Example.org ', full_name='Ann Lee', password='long-enough')
    assert answer.startswith('Check your inbox at ann@example.org:')
    person = sign_in(clinic, email='ANN@example.org', password='long-enough')
    assert (person.role, person.full_name) == (Role.patient, 'Ann Lee')


@pytest.mark.parametrize(
    ('email', 'name', 'password', 'field', 'message'),
    [
        ('not-an-email', 'Ann', 'long-enough', 'email', 'valid email'),
        ('ann@example.org', '', 'long-enough', 'full_name', 'Name is required'),
        ('ann@example.org', 'Ann', 'short', 'password', 'at least 10'),
        ('ann@example.org', 'A' * 201, 'long-enough', 'full_name', 'too long'),
        ('ann@example.org', 'Ann', 'x' * 501, 'password', 'too long'),
    ],
)
def test_bad_sign_up_input_is_refused_next_to_its_field(clinic, email, name, password, field, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        register_patient(clinic, email=email, full_name=name, password=password)
    assert refused.value.field == field


def test_an_email_has_one_account_however_often_it_signs_up(clinic):
    from sqlmodel import func, select

    from models import User

    for name in ('Ann', 'Ann Again'):
        register_patient(clinic, email='ANN@example.org', full_name=name, password='long-enough')
    with clinic.db.reading() as session:
        assert session.exec(select(func.count()).where(User.email == 'ann@example.org')).one() == 1


def test_accounts_the_clinic_makes_are_confirmed_and_book_at_once(tmp_path, database_url):
    from sqlmodel import select

    from models import User
    from services.booking import book
    from tests.factories import NEXT_MONDAY, local

    clinic = make_clinic(tmp_path, database_url=database_url, demo=True)
    create_doctor(
        clinic,
        actor_id=sign_in(clinic, email='admin@clinic.example', password='demo1234').id,
        email='dana@clinic.example',
        full_name='Dr. Dana Wu',
        specialty='Cardiology',
        password='doctor-pass',
    )
    with clinic.db.reading() as session:
        assert all(confirmed is not None for confirmed in session.exec(select(User.email_confirmed_at)))
    alice = next(d for d in list_doctors(clinic) if d.full_name == 'Dr. Alice Smith')
    demo_patient = sign_in(clinic, email='maria.lopez@mail.example', password='demo1234')
    for hour, patient in ((10, demo_patient), (11, create_patient(clinic, 'Pat Factory'))):
        info = book(clinic, actor_id=patient.id, doctor_id=alice.id, starts_at=local(NEXT_MONDAY, hour))
        assert info.patient_name == patient.full_name
    clinic.db.dispose()


def test_passwords_are_stored_hashed(clinic):
    from sqlmodel import select

    from models import User

    register_patient(clinic, email='ann@example.org', full_name='Ann', password='long-enough')
    with clinic.db.reading() as session:
        user = session.exec(select(User).where(User.email == 'ann@example.org')).one()
    assert 'long-enough' not in user.password_hash and user.password_hash.startswith('$argon2')


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(clinic):
    register_patient(clinic, email='ann@example.org', full_name='Ann', password='long-enough')
    with pytest.raises(SignInRefused) as wrong_password:
        sign_in(clinic, email='ann@example.org', password='wrong-password')
    with pytest.raises(SignInRefused) as unknown_email:
        sign_in(clinic, email='nobody@example.org', password='wrong-password')
    assert wrong_password.value.message == unknown_email.value.message == 'Wrong email or password.'


def test_five_failures_from_one_address_make_the_next_attempt_wait_whether_or_not_the_account_exists(clinic):
    register_patient(clinic, email='ann@example.org', full_name='Ann', password='long-enough')
    for email in ('ann@example.org', 'nobody@example.org'):
        for _ in range(5):
            with pytest.raises(SignInRefused, match='Wrong email or password'):
                sign_in(clinic, email=email, password='wrong-password', client='192.0.2.1')
        with pytest.raises(SignInRefused, match=r'Too many failed sign-in attempts\. Please try again in 1 second\.'):
            sign_in(clinic, email=email, password='long-enough', client='192.0.2.1')
    clinic.clock.advance(timedelta(seconds=1))
    assert sign_in(clinic, email='ann@example.org', password='long-enough', client='192.0.2.1').full_name == 'Ann'


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(clinic):
    from models import User

    patient = create_patient(clinic)
    with clinic.db.writing() as session:
        session.get(User, patient.id).is_active = False
    assert signed_in_person(clinic, user_id=patient.id) is None
    with pytest.raises(SignInRefused):
        sign_in(clinic, email=patient.email, password='patient-pass')


def test_only_an_admin_creates_doctors_and_they_get_standard_hours(clinic):
    patient = create_patient(clinic)
    with pytest.raises(NotAllowed):
        create_doctor(
            clinic,
            actor_id=patient.id,
            email='dana@clinic.example',
            full_name='Dr. Dana Wu',
            specialty='Cardiology',
            password='doctor-pass',
        )
    doctor = create_doctor(
        clinic,
        actor_id=admin_id(clinic),
        email='dana@clinic.example',
        full_name='Dr. Dana Wu',
        specialty='Cardiology',
        password='doctor-pass',
        slot_minutes=20,
    )
    assert [d.full_name for d in list_doctors(clinic)] == ['Dr. Dana Wu']
    assert doctor.slot_minutes == 20
    assert sign_in(clinic, email='dana@clinic.example', password='doctor-pass').doctor_id == doctor.id


def test_the_first_start_creates_an_admin_with_a_one_time_password(tmp_path, database_url, capsys):
    clinic = make_clinic(tmp_path, database_url=database_url, admin_email=None, admin_password=None)
    printed = capsys.readouterr().out
    assert 'admin@clinic.local' in printed and 'one-time password' in printed
    password = printed.split('one-time password: ')[1].split()[0]
    assert sign_in(clinic, email='admin@clinic.local', password=password).role is Role.admin


def test_the_demo_clinic_is_made_once_with_three_doctors_and_accounts_that_sign_in(tmp_path, database_url):
    from services.demo import create_demo_clinic

    clinic = make_clinic(tmp_path, database_url=database_url, demo=True)
    assert not create_demo_clinic(clinic)  # never twice
    doctors = {d.full_name: d.specialty for d in list_doctors(clinic)}
    assert doctors == {
        'Dr. Alice Smith': 'General Practice',
        'Dr. Bob Jones': 'Pediatrics',
        'Dr. Carol Diaz': 'Dermatology',
    }
    for email in (
        'admin@clinic.example',
        'alice.smith@clinic.example',
        'maria.lopez@mail.example',
        'james.lee@mail.example',
        'bob.jones@clinic.example',
        'carol.diaz@clinic.example',
    ):
        assert sign_in(clinic, email=email, password='demo1234').email == email


def test_a_new_doctors_first_kind_of_visit_is_named_in_the_clinics_language(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url, languages='en,es,de', default_language='de')
    try:
        doctor = create_doctor(
            clinic,
            actor_id=admin_id(clinic),
            email='dana@clinic.example',
            full_name='Dr. Dana Wu',
            specialty='Kardiologie',
            password='doctor-pass',
        )
        kinds = day_slots(clinic, doctor_id=doctor.id, day=NEXT_MONDAY).by_type
        assert [entry.kind.name for entry in kinds] == ['Beratung']
    finally:
        clinic.db.dispose()
