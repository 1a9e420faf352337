"""Slot hoarding through sign-up: an account books only once its email address is confirmed by the link sent there,
and signing up never tells a stranger whether an address already has an account. Mail goes to a real SMTP server."""

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text
from sqlmodel import func, select

from models import Appointment, User
from services import accounts
from services.accounts import register_patient, sign_in
from services.booking import book
from services.database import Database
from services.email_checks import LINK_NO_LONGER_WORKS, confirm_email, email_of_link
from services.errors import InvalidInput, NotAllowed, NotFound, SignInRefused
from services.sign_ins import person_signed_in, remember_sign_in
from tests.factories import NEXT_MONDAY, Mailbox, create_doctor, create_patient, local, make_clinic

ANSWER = 'Check your inbox at {}: the link there finishes creating your account. It is valid for 24 hours.'
MUST_CONFIRM = 'Confirm your email address first: we sent you a link.'


@pytest.fixture
def mailbox():
    with Mailbox() as mailbox:
        yield mailbox


@pytest.fixture
def clinic(tmp_path, database_url, mailbox):
    clinic = make_clinic(tmp_path, database_url=database_url, public_url='https://clinic.example/', **mailbox.settings)
    mailbox.outbox = clinic  # the outbox job's round, before each look into the mailbox
    yield clinic
    clinic.db.dispose()


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)['token'][0]


def account(clinic, email: str) -> User:
    with clinic.db.reading() as session:
        return session.exec(select(User).where(User.email == email)).one()


def answer(clinic, email: str, name: str = 'Ann Lee', password: str = 'anns-password') -> str:
    """Sign up and return what the person is told, or the refusal's message."""
    try:
        return register_patient(clinic, email=email, full_name=name, password=password)
    except InvalidInput as refusal:
        return refusal.message


def users(clinic) -> int:
    with clinic.db.reading() as session:
        return session.exec(select(func.count()).select_from(User)).one()


def book_monday(clinic, patient_id: int, doctor_id: int, hour: int = 10):
    return book(clinic, actor_id=patient_id, doctor_id=doctor_id, starts_at=local(NEXT_MONDAY, hour))


def test_signing_up_with_a_patients_email_answers_as_for_a_new_one_and_changes_nothing(clinic, mailbox):
    maria = create_patient(clinic, 'Maria Lopez')  # confirmed, as every account the clinic made
    before, count = account(clinic, maria.email), users(clinic)

    assert answer(clinic, maria.email, 'Mallory', 'mallory-pass') == ANSWER.format(maria.email)
    assert answer(clinic, 'nora@example.org', 'Nora', 'noras-password') == ANSWER.format('nora@example.org')

    after = account(clinic, maria.email)
    assert (after.full_name, after.password_hash, after.email_confirmed_at) == (
        before.full_name,
        before.password_hash,
        before.email_confirmed_at,
    )
    assert users(clinic) == count + 1  # Nora's pending account only
    assert sign_in(clinic, email=maria.email, password='patient-pass').full_name == 'Maria Lopez'
    with pytest.raises(SignInRefused):
        sign_in(clinic, email=maria.email, password='mallory-pass')
    [notice] = mailbox.to(maria.email)  # only the address's owner learns that someone tried
    assert notice['Subject'] == 'Someone tried to sign up with your email address'
    assert 'If it was you, sign in instead: https://clinic.example/login' in notice.get_content()
    assert mailbox.links(maria.email) == []
    [link] = mailbox.links('nora@example.org')
    assert link.startswith('https://clinic.example/confirm-email?token=')  # the configured address, never the request's


def test_an_unconfirmed_patient_may_sign_in_but_books_only_after_opening_the_link(clinic, mailbox):
    doctor = create_doctor(clinic, 'Dr. Alice Smith')
    register_patient(clinic, email='Nora@Example.org ', full_name='Nora Brandt', password='noras-password')
    nora = sign_in(clinic, email='nora@example.org', password='noras-password')

    with pytest.raises(NotAllowed) as refused:
        book_monday(clinic, nora.id, doctor.id)
    assert refused.value.message == MUST_CONFIRM
    with clinic.db.reading() as session:
        assert session.exec(select(func.count()).select_from(Appointment)).one() == 0

    [link] = mailbox.links('nora@example.org')
    assert email_of_link(clinic, token=token_of(link)) == 'nora@example.org'
    assert confirm_email(clinic, token=token_of(link)).id == nora.id
    assert book_monday(clinic, nora.id, doctor.id).patient_name == 'Nora Brandt'


def test_a_link_works_once_and_for_24_hours(clinic, mailbox):
    register_patient(clinic, email='nora@example.org', full_name='Nora', password='noras-password')
    register_patient(clinic, email='omar@example.org', full_name='Omar', password='omars-password')
    [noras], [omars] = mailbox.links('nora@example.org'), mailbox.links('omar@example.org')

    clinic.clock.advance(timedelta(hours=24))
    assert email_of_link(clinic, token=token_of(noras)) is None
    with pytest.raises(NotFound, match=LINK_NO_LONGER_WORKS):
        confirm_email(clinic, token=token_of(noras))
    assert account(clinic, 'nora@example.org').email_confirmed_at is None

    clinic.clock.advance(timedelta(seconds=-1))  # Omar's, opened a second before its end
    confirm_email(clinic, token=token_of(omars))
    with pytest.raises(NotFound, match=LINK_NO_LONGER_WORKS):
        confirm_email(clinic, token=token_of(omars))
    for made_up in ('', token_of(omars)[:-1], 'x' * 5000):
        with pytest.raises(NotFound):
            confirm_email(clinic, token=made_up)

    register_patient(clinic, email='nora@example.org', full_name='Nora', password='noras-password')  # a new link
    confirm_email(clinic, token=token_of(mailbox.links('nora@example.org')[-1]))
    assert account(clinic, 'nora@example.org').email_confirmed_at is not None


def test_a_squatters_sign_up_is_replaced_by_the_next_and_only_the_mailbox_owner_can_finish_it(clinic, mailbox):
    doctor = create_doctor(clinic)
    victim = 'nora@example.org'
    assert answer(clinic, victim, 'Mallory', 'mallory-pass') == ANSWER.format(victim)
    mallory = sign_in(clinic, email=victim, password='mallory-pass')  # may sign in, but not book
    remember_sign_in(clinic, browser_id='mallorys-browser', person_id=mallory.id)

    assert answer(clinic, victim, 'Nora Brandt', 'noras-password') == ANSWER.format(victim)
    assert person_signed_in(clinic, browser_id='mallorys-browser') is None  # the replaced sign-up's sessions end
    with pytest.raises(SignInRefused):
        sign_in(clinic, email=victim, password='mallory-pass')
    mallorys_link, noras_link = mailbox.links(victim)  # both went to Nora's mailbox, never to Mallory
    with pytest.raises(NotFound):
        confirm_email(clinic, token=token_of(mallorys_link))  # replaced by the newer sign-up

    nora = confirm_email(clinic, token=token_of(noras_link))
    assert (nora.id, nora.full_name) == (mallory.id, 'Nora Brandt')  # the same pending row, now hers
    assert sign_in(clinic, email=victim, password='noras-password').id == nora.id
    assert book_monday(clinic, nora.id, doctor.id).patient_name == 'Nora Brandt'


def test_confirming_signs_out_whoever_signed_in_before(clinic, mailbox):
    register_patient(clinic, email='nora@example.org', full_name='Nora', password='noras-password')
    pending = sign_in(clinic, email='nora@example.org', password='noras-password')
    remember_sign_in(clinic, browser_id='someone-who-knew-the-password', person_id=pending.id)
    confirm_email(clinic, token=token_of(mailbox.links('nora@example.org')[0]))
    assert person_signed_in(clinic, browser_id='someone-who-knew-the-password') is None


def test_every_answer_hashes_the_password_once_so_it_takes_as_long(clinic, monkeypatch):
    hashed: list[str] = []
    real = accounts._hasher

    class Counting:
        def hash(self, password: str) -> str:
            hashed.append(password)
            return real.hash(password)

        def verify(self, password: str, password_hash: str) -> bool:
            return real.verify(password, password_hash)

    monkeypatch.setattr(accounts, '_hasher', Counting())
    maria = create_patient(clinic)
    register_patient(clinic, email='nora@example.org', full_name='Nora', password='noras-password')
    hashed.clear()
    for email in (maria.email, 'nora@example.org', 'omar@example.org'):  # confirmed, pending, new
        register_patient(clinic, email=email, full_name='Someone', password='some-password')
    assert hashed == ['some-password'] * 3


def test_a_staff_account_is_never_replaced_by_a_sign_up(clinic, mailbox):
    doctor = create_doctor(clinic, 'Dr. Dana Wu')
    answer(clinic, doctor.email, 'Mallory', 'mallory-pass')
    assert sign_in(clinic, email=doctor.email, password='doctor-pass').doctor_id == doctor.id
    assert [mail['Subject'] for mail in mailbox.to(doctor.email)] == [
        'Someone tried to sign up with your email address'
    ]


def test_without_smtp_the_link_is_logged_so_the_clinic_can_finish_a_sign_up(tmp_path, database_url, caplog):
    clinic = make_clinic(tmp_path, database_url=database_url, port=8123)
    caplog.set_level(logging.INFO, logger='services.email_checks')
    assert answer(clinic, 'nora@example.org') == ANSWER.format('nora@example.org')
    [link] = [word for record in caplog.records for word in record.getMessage().split() if '/confirm-email?' in word]
    assert link.startswith('http://127.0.0.1:8123/confirm-email?token=')
    assert confirm_email(clinic, token=token_of(link)).email == 'nora@example.org'
    clinic.db.dispose()


def test_accounts_from_before_email_confirmation_are_confirmed_by_the_upgrade(database_url):
    from alembic import command

    from services.database import _alembic_config

    db = Database(database_url)
    db.upgrade()
    with db.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), '0006')  # the schema before email confirmation
        connection.execute(
            text(
                'INSERT INTO users (email, full_name, role, password_hash, is_active, created_at) VALUES '
                "('p@x.org', 'Pat', 'patient', 'h', true, '2026-01-01 00:00:00')"
            )
        )
    db.upgrade()
    with db.engine.connect() as connection:
        confirmed, created = connection.execute(
            text("SELECT email_confirmed_at, created_at FROM users WHERE email = 'p@x.org'")
        ).one()
    assert confirmed is not None and confirmed == created
    db.dispose()
