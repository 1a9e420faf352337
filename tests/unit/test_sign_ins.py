"""Sign-ins live in the database: every app process sees them, signing out ends them everywhere, and a
deactivated account is signed out. The table keeps only digests of browser ids; a sign-in reaches the browser
through a one-time ticket, under a new id; and an action is refused once its browser's sign-in ended."""

import hashlib
from datetime import timedelta

import pytest
from sqlmodel import select

from models import SignIn, User
from services.errors import SessionEnded
from services.sign_ins import (
    KEPT_FOR,
    TICKET_VALID_FOR,
    forget_sign_in,
    forget_stale_sign_ins,
    open_sign_in,
    person_signed_in,
    redeem_sign_in,
    remember_sign_in,
    require_sign_in,
)
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


def test_the_table_keeps_only_a_digest_of_each_browser_id(clinic):
    anna = create_patient(clinic, 'Anna')
    remember_sign_in(clinic, browser_id='browser-1', person_id=anna.id)
    with clinic.db.reading() as session:
        keys = session.exec(select(SignIn.browser_id)).all()
    assert keys == [hashlib.sha256(b'browser-1').hexdigest()]  # a copy of the table signs no browser in
    assert person_signed_in(clinic, browser_id=keys[0]) is None


def test_a_ticket_signs_in_the_new_id_of_the_browser_it_was_opened_for_once(clinic):
    anna = create_patient(clinic, 'Anna')
    ticket = open_sign_in(clinic, browser_id='before', person_id=anna.id)
    assert person_signed_in(clinic, browser_id='before') is None  # the old id, which others may know, is nobody
    assert redeem_sign_in(clinic, ticket=ticket, browser_id='elsewhere', new_browser_id='other') is None
    assert redeem_sign_in(clinic, ticket=ticket, browser_id='before', new_browser_id='after') == anna
    assert person_signed_in(clinic, browser_id='after') == anna
    assert person_signed_in(clinic, browser_id='before') is None
    assert redeem_sign_in(clinic, ticket=ticket, browser_id='before', new_browser_id='again') is None
    assert person_signed_in(clinic, browser_id='again') is None


def test_a_ticket_expires_and_is_useless_for_a_deactivated_account(clinic):
    anna, ben = create_patient(clinic, 'Anna'), create_patient(clinic, 'Ben')
    late = open_sign_in(clinic, browser_id='b1', person_id=anna.id)
    clinic.clock.set(clinic.now() + TICKET_VALID_FOR + timedelta(seconds=1))
    assert redeem_sign_in(clinic, ticket=late, browser_id='b1', new_browser_id='b2') is None
    ended = open_sign_in(clinic, browser_id='b3', person_id=ben.id)
    with clinic.db.writing() as session:
        session.get(User, ben.id).is_active = False
    assert redeem_sign_in(clinic, ticket=ended, browser_id='b3', new_browser_id='b4') is None
    assert person_signed_in(clinic, browser_id='b2') is None and person_signed_in(clinic, browser_id='b4') is None


def test_an_action_is_refused_once_its_browser_signed_out_or_became_someone_else(clinic):
    anna, ben = create_patient(clinic, 'Anna'), create_patient(clinic, 'Ben')
    remember_sign_in(clinic, browser_id='browser-1', person_id=anna.id)
    require_sign_in(clinic, browser_id='browser-1', person=anna)  # still signed in: no refusal
    remember_sign_in(clinic, browser_id='browser-1', person_id=ben.id)
    with pytest.raises(SessionEnded):
        require_sign_in(clinic, browser_id='browser-1', person=anna)
    forget_sign_in(clinic, browser_id='browser-1')
    with pytest.raises(SessionEnded):
        require_sign_in(clinic, browser_id='browser-1', person=ben)
