"""The outbox: an e-mail is written with its change and sent by the job to a real SMTP server, retried while the
server asks to try later, marked failed when it refuses for good, and never lost when a send is cut short."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import MailStatus, OutboxMail
from services.errors import InvalidInput, NotAllowed
from services.outbox import (
    ATTEMPTS,
    RETRY_AFTER,
    outbox_view,
    queue_mail,
    resume_interrupted,
    retry_failed,
    send_due,
)
from tests.factories import Mailbox, admin_id, create_patient, make_clinic


@pytest.fixture
def mailbox_clinic(tmp_path, database_url):
    def make(*answers):
        mailbox = Mailbox(*answers).__enter__()
        clinic = make_clinic(tmp_path / str(len(made)), database_url=database_url, **mailbox.settings)
        made.append((mailbox, clinic))
        return mailbox, clinic

    made = []
    yield make
    for mailbox, clinic in made:
        clinic.db.dispose()
        mailbox.__exit__()


def queue(clinic, to='maria@mail.example', **more):
    with clinic.db.writing() as session:
        row = queue_mail(session, clinic, kind='confirmation', to=to, subject='Booked', text='See you.', **more)
        return row.message_id if row else None


def rows(clinic):
    with clinic.db.reading() as session:
        return session.exec(select(OutboxMail).order_by(OutboxMail.id)).all()


def test_a_queued_mail_is_sent_once_with_the_message_id_it_was_written_with(mailbox_clinic):
    mailbox, clinic = mailbox_clinic()
    message_id = queue(
        clinic, html='<p>See you.</p>', calendar='BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n'
    )
    assert send_due(clinic) == 1
    assert send_due(clinic) == 0  # nothing twice
    (mail,) = mailbox.to('maria@mail.example')
    assert mail['Message-ID'] == message_id and mail['Subject'] == 'Booked'
    parts = {part.get_content_type() for part in mail.walk()}
    assert {'text/plain', 'text/html', 'text/calendar'} <= parts
    (row,) = rows(clinic)
    assert row.status is MailStatus.sent and row.sent_at == clinic.now() and row.attempts == 1


def test_a_rolled_back_change_takes_its_mail_with_it(mailbox_clinic):
    mailbox, clinic = mailbox_clinic()
    with pytest.raises(RuntimeError), clinic.db.writing() as session:
        queue_mail(session, clinic, kind='confirmation', to='maria@mail.example', subject='Booked', text='x')
        raise RuntimeError('the change failed')
    assert rows(clinic) == [] and send_due(clinic) == 0 and mailbox.received == []


def test_a_server_that_asks_to_try_later_twice_gets_the_mail_on_the_third_attempt(mailbox_clinic):
    mailbox, clinic = mailbox_clinic('451 4.3.0 try again later', '421 4.7.0 busy')
    queue(clinic)
    assert send_due(clinic) == 0
    (row,) = rows(clinic)
    assert (row.status, row.attempts, row.last_error) == (MailStatus.pending, 1, '451 4.3.0 try again later')
    assert send_due(clinic) == 0  # not due yet: it waits
    clinic.clock.advance(RETRY_AFTER[0])
    assert send_due(clinic) == 0
    clinic.clock.advance(RETRY_AFTER[1])
    assert send_due(clinic) == 1
    assert len(mailbox.to('maria@mail.example')) == 1 and rows(clinic)[0].attempts == 3


def test_a_refused_address_is_marked_failed_with_the_reason_and_can_be_retried(mailbox_clinic):
    mailbox, clinic = mailbox_clinic('550 5.1.1 no such mailbox')
    queue(clinic)
    assert send_due(clinic) == 0
    (row,) = rows(clinic)
    assert (row.status, row.last_error) == (MailStatus.failed, '550 5.1.1 no such mailbox')
    clinic.clock.advance(timedelta(days=1))
    assert send_due(clinic) == 0  # failed for good: not tried again by itself
    retry_failed(clinic, mail_id=row.id)
    assert send_due(clinic) == 1 and len(mailbox.received) == 1


def test_mails_due_together_go_over_one_connection_and_a_refused_one_does_not_hold_up_the_rest(mailbox_clinic):
    mailbox, clinic = mailbox_clinic('550 5.1.1 no such mailbox')
    for address in ('nobody@mail.example', 'maria@mail.example', 'james@mail.example'):
        queue(clinic, to=address)
    assert send_due(clinic) == 2
    assert [row.status for row in rows(clinic)] == [MailStatus.failed, MailStatus.sent, MailStatus.sent]
    assert mailbox.connections == 2  # one dropped after the refusal, one for the other two


def test_an_unreachable_server_costs_one_attempt_per_round_not_one_per_mail(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url, smtp_host='127.0.0.1', smtp_port=1, smtp_starttls=False)
    for address in ('maria@mail.example', 'james@mail.example', 'ana@mail.example'):
        queue(clinic, to=address)
    assert send_due(clinic) == 0
    assert [row.attempts for row in rows(clinic)] == [1, 0, 0]
    assert {row.status for row in rows(clinic)} == {MailStatus.pending}
    clinic.db.dispose()


@pytest.mark.filterwarnings('ignore:Requiring AUTH while not requiring TLS')  # a test server on loopback
def test_a_wrong_mail_password_keeps_the_mail_waiting_with_the_servers_words(tmp_path, database_url):
    with Mailbox(password='right') as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, **{**mailbox.settings, 'smtp_password': 'wrong'})
        queue(clinic)
        assert send_due(clinic) == 0
        (row,) = rows(clinic)
        assert row.status is MailStatus.pending and row.last_error.startswith('535')  # the clinic's setup, not the mail
        clinic.settings.smtp_password = 'right'  # the admin fixes the setting (and restarts)
        clinic.clock.advance(RETRY_AFTER[0])
        assert send_due(clinic) == 1 and len(mailbox.received) == 1
        clinic.db.dispose()


def test_a_server_that_is_never_reachable_fails_the_mail_after_every_attempt(tmp_path, database_url):
    clinic = make_clinic(tmp_path, database_url=database_url, smtp_host='127.0.0.1', smtp_port=1, smtp_starttls=False)
    queue(clinic)
    for pause in (timedelta(0), *RETRY_AFTER):
        clinic.clock.advance(pause)
        send_due(clinic)
    (row,) = rows(clinic)
    assert row.status is MailStatus.failed and row.attempts == ATTEMPTS and 'Connection' in row.last_error
    clinic.db.dispose()


def test_a_send_cut_short_is_resumed_with_the_same_message_id(mailbox_clinic):
    mailbox, clinic = mailbox_clinic()
    message_id = queue(clinic)
    with clinic.db.writing() as session:  # as a process killed while talking to the server leaves it
        row = session.exec(select(OutboxMail)).one()
        row.status, row.attempts = MailStatus.sending, 1
        session.add(row)
    assert send_due(clinic) == 0  # not picked up while it may still be on its way
    assert resume_interrupted(clinic) == 1
    assert send_due(clinic) == 1
    assert [mail['Message-ID'] for mail in mailbox.received] == [message_id]


def test_nothing_is_queued_for_a_person_without_an_address_or_a_clinic_without_a_mail_host(
    tmp_path, database_url, mailbox_clinic
):
    _, with_host = mailbox_clinic()
    assert queue(with_host, to='') is None and queue(with_host, to=None) is None and rows(with_host) == []
    clinic = make_clinic(tmp_path / 'no-host', database_url=database_url)
    assert queue(clinic) is None and rows(clinic) == []
    clinic.db.dispose()


def test_only_the_front_desk_sees_the_outbox_and_retries(mailbox_clinic):
    _, clinic = mailbox_clinic('550 5.1.1 no such mailbox')
    queue(clinic)
    send_due(clinic)
    patient = create_patient(clinic)
    with pytest.raises(NotAllowed):
        outbox_view(clinic, actor_id=patient.id)
    (row,) = rows(clinic)
    with pytest.raises(NotAllowed):
        retry_failed(clinic, mail_id=row.id, actor_id=patient.id)
    view = outbox_view(clinic, actor_id=admin_id(clinic))
    assert view.counts[MailStatus.failed] == 1 and view.recent[0].error == '550 5.1.1 no such mailbox'
    retry_failed(clinic, mail_id=row.id, actor_id=admin_id(clinic))
    with pytest.raises(InvalidInput, match='no longer failed'):
        retry_failed(clinic, mail_id=row.id, actor_id=admin_id(clinic))
    assert send_due(clinic) == 1


def test_an_email_that_cannot_be_written_fails_for_good_and_does_not_stay_sending(mailbox_clinic):
    mailbox, clinic = mailbox_clinic()
    queue(clinic, to='maria@mail.example\nBcc: everyone@mail.example')  # a header cannot hold a line break
    queue(clinic, to='james@mail.example')
    assert send_due(clinic) == 1  # the next one still goes
    bad, good = rows(clinic)
    assert bad.status is MailStatus.failed and bad.last_error and good.status is MailStatus.sent
    assert [mail['To'] for mail in mailbox.received] == ['james@mail.example']
