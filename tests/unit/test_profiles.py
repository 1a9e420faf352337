"""Everyone's profile: name and phone, and a password change that checks the current one, applies the rule and signs
the person's other browsers out (this one stays signed in)."""

import pytest

from services.accounts import sign_in
from services.errors import InvalidInput, InvalidInputs, SessionEnded
from services.live.events import DoctorsChanged
from services.profiles import WRONG_PASSWORD, change_password, profile_of, update_profile
from services.sign_ins import person_signed_in, remember_sign_in
from tests.factories import create_doctor, create_patient, published

NEW = 'quiet-meadow-lantern-5'


def test_a_password_change_signs_out_the_other_browsers_only(clinic):
    patient, other = create_patient(clinic), create_patient(clinic, 'Otto Other')
    for browser in ('laptop', 'phone', 'tablet'):
        remember_sign_in(clinic, browser_id=browser, person_id=patient.id)
    remember_sign_in(clinic, browser_id='otto', person_id=other.id)
    change_password(clinic, actor_id=patient.id, browser_id='laptop', current='patient-pass', new=NEW)
    assert person_signed_in(clinic, browser_id='laptop').id == patient.id
    assert person_signed_in(clinic, browser_id='phone') is None
    assert person_signed_in(clinic, browser_id='tablet') is None
    assert person_signed_in(clinic, browser_id='otto').id == other.id
    assert sign_in(clinic, email=patient.email, password=NEW).id == patient.id


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(clinic):
    patient = create_patient(clinic)
    remember_sign_in(clinic, browser_id='phone', person_id=patient.id)
    with pytest.raises(InvalidInput) as wrong:
        change_password(clinic, actor_id=patient.id, browser_id='laptop', current='not-it', new=NEW)
    assert (wrong.value.field, wrong.value.message) == ('current', WRONG_PASSWORD)
    with pytest.raises(InvalidInput) as weak:
        change_password(clinic, actor_id=patient.id, browser_id='laptop', current='patient-pass', new='password12')
    assert weak.value.field == 'new'
    assert person_signed_in(clinic, browser_id='phone').id == patient.id
    assert sign_in(clinic, email=patient.email, password='patient-pass').id == patient.id


def test_guessing_the_current_password_from_an_open_tab_is_slowed_down(clinic):
    patient = create_patient(clinic)
    for _ in range(5):
        with pytest.raises(InvalidInput, match=WRONG_PASSWORD):
            change_password(clinic, actor_id=patient.id, browser_id='b', current='guess', new=NEW)
    with pytest.raises(InvalidInput, match='Please try again in'):
        change_password(clinic, actor_id=patient.id, browser_id='b', current='patient-pass', new=NEW)


def test_name_and_phone_are_saved_and_checked(clinic):
    doctor = create_doctor(clinic, 'Dr. Old Name')
    saved = update_profile(clinic, actor_id=doctor.user_id, full_name=' Dr. New Name ', phone='0049 30 123 4567')
    assert (saved.full_name, saved.phone) == ('Dr. New Name', '+49301234567')
    assert profile_of(clinic, actor_id=doctor.user_id) == saved
    assert published(clinic)[-1] == DoctorsChanged(doctor_id=doctor.id)  # booking pages show the new name
    assert update_profile(clinic, actor_id=doctor.user_id, full_name='Dr. New Name', phone='').phone == ''
    with pytest.raises(InvalidInputs) as refused:
        update_profile(clinic, actor_id=doctor.user_id, full_name='', phone='call me')
    assert {problem.field for problem in refused.value.problems} == {'full_name', 'phone'}
    assert profile_of(clinic, actor_id=doctor.user_id).full_name == 'Dr. New Name'


def test_nobody_signed_in_has_no_profile(clinic):
    with pytest.raises(SessionEnded):
        profile_of(clinic, actor_id=999)
