"""Password reset links: the same answer for every address, one hour by the clinic's clock, single use even when two
uses race, a few mails an hour at most, and the front desk's link for a patient standing there. Mail goes to a real
SMTP server."""

import threading
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from models import MailStatus, OutboxMail, Role, User
from services.accounts import create_account, sign_in
from services.errors import InvalidInput, NotAllowed, NotFound, SignInRefused
from services.outbox import LINK_EXPIRED, WIPED, outbox_view, retry_failed, send_due
from services.password_resets import (
    LINK_NO_LONGER_WORKS,
    LINK_VALID_FOR,
    LINKS_PER_HOUR,
    answer_to_request,
    desk_reset_link,
    link_works,
    needs_email,
    request_reset,
    reset_password,
)
from services.sign_ins import person_signed_in, remember_sign_in
from tests.factories import Mailbox, admin_id, create_doctor, create_patient, make_clinic

NEW_PASSWORD = 'violet-harbour-77'


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


def mails_to(mailbox: Mailbox, address: str, count: int, timeout: float = 5.0) -> list[str]:
    """The reset links mailed to `address` once `count` have arrived (the mail goes out after the answer)."""
    deadline = time.monotonic() + timeout
    while len(mailbox.to(address)) < count:
        assert time.monotonic() < deadline, f'{len(mailbox.to(address))} of {count} e-mails arrived'
        time.sleep(0.01)
    return [
        line.strip() for mail in mailbox.to(address) for line in mail.get_content().splitlines() if '/reset?' in line
    ]


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)['token'][0]


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_the_known_one_a_mail(clinic, mailbox):
    patient = create_patient(clinic)
    assert request_reset(clinic, email=patient.email) == answer_to_request(patient.email)
    assert request_reset(clinic, email='nobody@test.example') == answer_to_request('nobody@test.example')
    [link] = mails_to(mailbox, patient.email, 1)
    assert link.startswith('https://clinic.example/reset?token=')  # the clinic's public address, never a host header
    assert mailbox.to('nobody@test.example') == []


def test_the_link_goes_through_the_outbox_which_keeps_no_working_link_once_it_is_sent(clinic, mailbox):
    patient = create_patient(clinic)
    request_reset(clinic, email=patient.email)
    with clinic.db.reading() as session:  # written with the link, waiting for the sender
        (waiting,) = session.exec(select(OutboxMail)).all()
    assert waiting.status is MailStatus.pending and '/reset?token=' in waiting.text_body
    [link] = mails_to(mailbox, patient.email, 1)
    with clinic.db.reading() as session:
        (sent,) = session.exec(select(OutboxMail)).all()
    assert sent.status is MailStatus.sent and sent.message_id == waiting.message_id
    assert token_of(link) not in sent.text_body and sent.text_body == WIPED
    assert link_works(clinic, token=token_of(link))  # the patient's copy still works


def test_a_link_the_mail_server_could_not_take_before_it_expired_is_not_sent_late_nor_again(clinic, mailbox):
    patient = create_patient(clinic)
    clinic.settings.smtp_port = 1  # the mail server is down
    request_reset(clinic, email=patient.email)
    send_due(clinic)
    clinic.clock.advance(LINK_VALID_FOR)
    clinic.settings.smtp_port = mailbox.port  # back, after the link stopped working
    assert mailbox.to(patient.email) == []
    with clinic.db.reading() as session:
        (row,) = session.exec(select(OutboxMail)).all()
    assert (row.status, row.last_error, row.text_body) == (MailStatus.failed, LINK_EXPIRED, WIPED)
    with pytest.raises(InvalidInput, match='ask for a new link'):
        retry_failed(clinic, mail_id=row.id)
    assert not outbox_view(clinic, actor_id=admin_id(clinic)).recent[0].can_retry  # the admin is offered no Retry


def test_a_link_sets_the_password_once_and_ends_every_sign_in(clinic, mailbox):
    patient = create_patient(clinic)
    remember_sign_in(clinic, browser_id='their-phone', person_id=patient.id)
    request_reset(clinic, email=patient.email)
    [link] = mails_to(mailbox, patient.email, 1)
    assert link_works(clinic, token=token_of(link))
    assert reset_password(clinic, token=token_of(link), password=NEW_PASSWORD).id == patient.id
    assert sign_in(clinic, email=patient.email, password=NEW_PASSWORD).id == patient.id
    with pytest.raises(SignInRefused):
        sign_in(clinic, email=patient.email, password='patient-pass')
    assert person_signed_in(clinic, browser_id='their-phone') is None
    assert not link_works(clinic, token=token_of(link))
    with pytest.raises(NotFound, match='no longer works'):
        reset_password(clinic, token=token_of(link), password='another-new-one-88')


def test_a_link_expires_after_an_hour_by_the_clinics_clock(clinic, mailbox):
    patient = create_patient(clinic)
    request_reset(clinic, email=patient.email)
    [link] = mails_to(mailbox, patient.email, 1)
    clinic.clock.advance(timedelta(minutes=59))
    assert link_works(clinic, token=token_of(link))
    clinic.clock.advance(timedelta(minutes=1))
    assert not link_works(clinic, token=token_of(link))
    with pytest.raises(NotFound) as refused:
        reset_password(clinic, token=token_of(link), password=NEW_PASSWORD)
    assert refused.value.message == LINK_NO_LONGER_WORKS
    assert sign_in(clinic, email=patient.email, password='patient-pass').id == patient.id


@pytest.mark.parametrize('token', ['', 'made-up', 'x' * 5000])
def test_an_unknown_token_gets_the_same_message(clinic, token):
    with pytest.raises(NotFound) as refused:
        reset_password(clinic, token=token, password=NEW_PASSWORD)
    assert refused.value.message == LINK_NO_LONGER_WORKS


def test_two_uses_of_one_link_at_once_set_one_password(clinic, mailbox):
    patient = create_patient(clinic)
    request_reset(clinic, email=patient.email)
    [link] = mails_to(mailbox, patient.email, 1)
    passwords = ['first-racer-pass-41', 'second-racer-pass-42']
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def use(password: str) -> None:
        barrier.wait()
        try:
            reset_password(clinic, token=token_of(link), password=password)
            outcomes.append(password)
        except NotFound:
            outcomes.append('refused')

    threads = [threading.Thread(target=use, args=(password,)) for password in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count('refused') == 1
    [winner] = [outcome for outcome in outcomes if outcome != 'refused']
    assert sign_in(clinic, email=patient.email, password=winner).id == patient.id


def test_the_password_rule_applies_and_a_refusal_keeps_the_link(clinic, mailbox):
    patient = create_patient(clinic)
    request_reset(clinic, email=patient.email)
    [link] = mails_to(mailbox, patient.email, 1)
    with pytest.raises(Exception, match='at least 10'):
        reset_password(clinic, token=token_of(link), password='short')
    assert link_works(clinic, token=token_of(link))


def test_an_address_is_mailed_a_few_links_an_hour_however_often_anyone_asks(clinic, mailbox):
    patient = create_patient(clinic)
    for number in range(12):  # from many visitors, so none of them is slowed down
        assert request_reset(clinic, email=patient.email, client=f'10.0.0.{number}') == answer_to_request(patient.email)
    mails_to(mailbox, patient.email, LINKS_PER_HOUR)
    clinic.clock.advance(timedelta(hours=1))
    request_reset(clinic, email=patient.email, client='10.0.1.1')
    mails_to(mailbox, patient.email, LINKS_PER_HOUR + 1)
    assert len(mailbox.to(patient.email)) == LINKS_PER_HOUR + 1


def test_one_visitor_asking_again_and_again_is_slowed_down(clinic):
    for number in range(10):
        request_reset(clinic, email=f'someone{number}@test.example', client='10.9.9.9')
    with pytest.raises(SignInRefused, match='Too many requests'):
        request_reset(clinic, email='another@test.example', client='10.9.9.9')
    assert request_reset(clinic, email='another@test.example', client='10.9.9.8')


def test_a_deactivated_account_gets_no_link(clinic, mailbox):
    patient = create_patient(clinic)
    with clinic.db.writing() as session:
        user = session.get(User, patient.id)
        user.is_active = False
        session.add(user)
    request_reset(clinic, email=patient.email)
    request_reset(clinic, email='nobody@test.example')  # mailed after the first, so its absence below means something
    create = create_patient(clinic)
    request_reset(clinic, email=create.email)
    mails_to(mailbox, create.email, 1)
    assert mailbox.to(patient.email) == []


def test_the_front_desk_gives_a_walk_in_a_link_that_claims_their_account_and_confirms_it(clinic):
    with clinic.db.writing() as session:
        session.add(User(email='walker@test.example', full_name='Wanda Walker', role=Role.patient, password_hash=''))
    with pytest.raises(SignInRefused, match='Wrong email or password'):  # an unclaimed account signs nobody in
        sign_in(clinic, email='walker@test.example', password='')
    with clinic.db.reading() as session:
        walker_id = session.exec(select(User.id).where(User.email == 'walker@test.example')).one()
    link = desk_reset_link(clinic, actor_id=admin_id(clinic), user_id=walker_id)
    assert link.startswith('https://clinic.example/reset?token=')
    assert reset_password(clinic, token=token_of(link), password=NEW_PASSWORD).id == walker_id
    assert sign_in(clinic, email='walker@test.example', password=NEW_PASSWORD).id == walker_id
    with clinic.db.reading() as session:
        assert session.get(User, walker_id).email_confirmed_at is not None


def test_a_walk_in_without_email_claims_the_account_with_one_confirmed_by_a_link(clinic, mailbox):
    with clinic.db.writing() as session:
        walk_in = User(full_name='Walk Inn', phone='+49301234', role=Role.patient, password_hash='')
        session.add(walk_in)
        session.flush()
        walk_in_id = walk_in.id
    taken = create_patient(clinic)
    link = desk_reset_link(clinic, actor_id=admin_id(clinic), user_id=walk_in_id)
    assert needs_email(clinic, token=token_of(link)) is True
    with pytest.raises(InvalidInput, match='Another account has this email'):
        reset_password(clinic, token=token_of(link), password=NEW_PASSWORD, email=taken.email)
    with pytest.raises(InvalidInput) as no_email:
        reset_password(clinic, token=token_of(link), password=NEW_PASSWORD)
    assert no_email.value.field == 'email'
    assert (
        reset_password(clinic, token=token_of(link), password=NEW_PASSWORD, email='Walk@Test.example').id == walk_in_id
    )
    assert sign_in(clinic, email='walk@test.example', password=NEW_PASSWORD).id == walk_in_id
    with clinic.db.reading() as session:
        assert session.get(User, walk_in_id).email_confirmed_at is None  # until the link sent there is opened
    deadline = time.monotonic() + 5
    while not mailbox.links('walk@test.example'):
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_only_the_front_desk_gives_links_and_only_for_patients(clinic):
    patient, doctor = create_patient(clinic), create_doctor(clinic)
    for actor in (patient.id, doctor.user_id):
        with pytest.raises(NotAllowed):
            desk_reset_link(clinic, actor_id=actor, user_id=patient.id)
    with pytest.raises(NotFound):
        desk_reset_link(clinic, actor_id=admin_id(clinic), user_id=doctor.user_id)
    other_admin = create_account(
        clinic, email='second@test.example', full_name='Sec Ond', password='second-admin-9', role=Role.admin
    )
    with pytest.raises(NotFound):
        desk_reset_link(clinic, actor_id=admin_id(clinic), user_id=other_admin.id)
