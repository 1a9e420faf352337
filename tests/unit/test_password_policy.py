"""New passwords: at least 10 characters and not a common one (zxcvbn's list); every problem with a new account's
input is refused at once, alike for every address; the demo clinic keeps its published password."""

import pytest
from sqlmodel import func, select

from models import User
from services.accounts import create_doctor, register_patient, sign_in
from services.errors import InvalidInput, InvalidInputs
from tests.factories import admin_id, create_patient, make_clinic

SHORT = 'Use at least 10 characters.'
COMMON = 'This password is too common; choose another.'


@pytest.mark.parametrize(
    ('password', 'message'),
    [
        ('12345678', SHORT),
        ('abc123xyz', SHORT),
        ('1234567890', COMMON),
        ('password123', COMMON),
        ('qwertyuiop', COMMON),
        ('iloveyou12', COMMON),
        ('PASSWORD123', COMMON),  # the list is checked in any case
        ('aaaaaaaaaaaa', COMMON),  # guessed at once, though on no list
        ('ann@example.org', COMMON),  # the person's own email
    ],
)
def test_sign_up_refuses_short_and_common_passwords(clinic, password, message):
    with pytest.raises(InvalidInput) as refused:
        register_patient(clinic, email='ann@example.org', full_name='Ann Lee', password=password)
    assert (refused.value.message, refused.value.field) == (message, 'password')
    with clinic.db.reading() as session:
        assert session.exec(select(func.count()).select_from(User)).one() == 1  # the first admin only


def test_sign_up_names_every_problem_at_once_and_alike_for_a_known_and_a_new_address(clinic):
    maria = create_patient(clinic, 'Maria Lopez')
    answers = []
    for email in (maria.email, 'nobody@example.org'):
        with pytest.raises(InvalidInputs) as refused:
            register_patient(clinic, email=email, full_name=' ', password='12345678')
        answers.append([(problem.field, problem.message) for problem in refused.value.problems])
    assert answers[0] == answers[1] == [('full_name', 'Name is required.'), ('password', SHORT)]
    with pytest.raises(InvalidInputs) as refused:
        register_patient(clinic, email='nora@mail', full_name='', password='qwertyuiop')
    assert [problem.field for problem in refused.value.problems] == ['email', 'full_name', 'password']


def test_the_admin_gets_the_same_policy_and_is_told_plainly_an_email_has_an_account(clinic):
    patient = create_patient(clinic)
    admin = admin_id(clinic)

    def new_doctor(**given):
        fields = dict(email='dana@clinic.example', full_name='Dr. Dana Wu', specialty='Cardiology', password='x')
        fields.update(given)
        return create_doctor(clinic, actor_id=admin, **fields)

    with pytest.raises(InvalidInputs) as refused:
        new_doctor(password='12345678', specialty=' ')
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ('password', SHORT),
        ('specialty', 'Specialty is required.'),
    ]
    with pytest.raises(InvalidInput, match='too common'):
        new_doctor(password='1234567890')
    with pytest.raises(InvalidInput) as taken:
        new_doctor(email=patient.email, password='dana-in-cardiology')
    assert (taken.value.message, taken.value.field) == ('An account with this email already exists.', 'email')
    assert new_doctor(password='dana-in-cardiology').full_name == 'Dr. Dana Wu'


def test_a_weak_first_admin_password_is_refused_naming_the_setting(tmp_path, database_url):
    with pytest.raises(InvalidInput, match='CLINIC_ADMIN_PASSWORD: Use at least 10 characters'):
        make_clinic(tmp_path, database_url=database_url, admin_password='admin123')


def test_the_demo_clinic_keeps_its_published_password(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url, demo=True)
    assert sign_in(clinic, email='maria.lopez@mail.example', password='demo1234').full_name == 'Maria Lopez'
    clinic.db.dispose()
