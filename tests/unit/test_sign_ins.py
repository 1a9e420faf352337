"""Sign-ins live in the database: every app process sees them, signing out ends them everywhere, and a
deactivated account is signed out."""

from datetime import timedelta

from models import User
from services.sign_ins import KEPT_FOR, forget_sign_in, forget_stale_sign_ins, person_signed_in, remember_sign_in
from tests.factories import create_patient, make_clinic


def test_a_browser_signed_in_through_one_process_is_signed_in_for_another(clinic, tmp_path):
    anna = create_patient(clinic, 'Anna')
    remember_sign_in(clinic, browser_id='browser-1', person_id=anna.id)
    other_process = make_clinic(tmp_path / 'other', database_url=str(clinic.db.engine.url.render_as_string(False)))
    try:
        assert person_signed_in(other_process, browser_id='browser-1') == anna
        assert person_signed_in(other_process, browser_id='browser-2') is None
        forget_sign_in(other_process, browser_id='browser-1')
    finally:
        other_process.db.dispose()
    assert person_signed_in(clinic, browser_id='browser-1') is None


def test_signing_in_again_replaces_who_the_browser_is(clinic):
    anna, ben = create_patient(clinic, 'Anna'), create_patient(clinic, 'Ben')
    remember_sign_in(clinic, browser_id='browser-1', person_id=anna.id)
    remember_sign_in(clinic, browser_id='browser-1', person_id=ben.id)
    assert person_signed_in(clinic, browser_id='browser-1') == ben


def test_deactivating_an_account_ends_its_sign_ins_even_after_reactivation(clinic):
    anna = create_patient(clinic, 'Anna')
    remember_sign_in(clinic, browser_id='browser-1', person_id=anna.id)
    with clinic.db.writing() as session:
        user = session.get(User, anna.id)
        user.is_active = False
    assert person_signed_in(clinic, browser_id='browser-1') is None
    with clinic.db.writing() as session:
        session.get(User, anna.id).is_active = True
    assert person_signed_in(clinic, browser_id='browser-1') is None  # the sign-in itself is gone


def test_no_cookie_means_nobody(clinic):
    assert person_signed_in(clinic, browser_id=None) is None
    assert person_signed_in(clinic, browser_id='') is None


def test_a_sign_in_ends_when_its_cookie_would_have_expired_and_is_then_cleaned_up(clinic):
    anna, ben = create_patient(clinic, 'Anna'), create_patient(clinic, 'Ben')
    remember_sign_in(clinic, browser_id='old-browser', person_id=anna.id)
    remember_sign_in(clinic, browser_id='forgotten-browser', person_id=ben.id)
    clinic.clock.set(clinic.now() + KEPT_FOR - timedelta(minutes=1))
    remember_sign_in(clinic, browser_id='new-browser', person_id=ben.id)
    assert person_signed_in(clinic, browser_id='old-browser') == anna
    clinic.clock.set(clinic.now() + timedelta(minutes=2))
    assert person_signed_in(clinic, browser_id='old-browser') is None
    assert forget_stale_sign_ins(clinic) == 1  # the forgotten browser never came back
    assert person_signed_in(clinic, browser_id='new-browser') == ben
