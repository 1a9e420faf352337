"""The mail outbox: every e-mail is a row written in the same transaction as the change that causes it, and one job
sends the rows that are due, retrying temporary failures with growing pauses.

A rollback takes the e-mail with it, so nothing is sent for a change that did not happen, and a crash after the
commit loses nothing: the row waits in the database. A row is marked `sending` (committed) before the SMTP server
is asked and `sent` once it accepted, with the Message-ID made when the row was written; a row found `sending`
after a crash was interrupted within that one exchange and is sent again with the same Message-ID, so a mail
program that got the first copy shows one.
"""

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlmodel import Session, col, func, select

from config import Settings
from models import MailStatus, OutboxMail

from .access import load_actor, require_front_desk
from .clinic import Clinic
from .errors import InvalidInput
from .i18n import N_

log = logging.getLogger(__name__)

RETRY_AFTER = (  # the pause before each further attempt at a temporary failure
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
ATTEMPTS = len(RETRY_AFTER) + 1
WIPED = "(This e-mail held a one-time link; its text was removed from the clinic's database once it was sent.)"
# kept as an e-mail's error for the front desk (stored in English: a page shows it with `_(LINK_EXPIRED)`)
LINK_EXPIRED = N_('Not sent: its one-time link had expired before the mail server could be reached.')
LINK_NOT_RESENT = N_('An e-mail with a one-time link is not sent again: the person can ask for a new link.')


def queue_mail(
    session: Session,
    clinic: Clinic,
    *,
    kind: str,
    to: str | None,
    subject: str,
    text: str,
    html: str | None = None,
    calendar: str | None = None,
    appointment_id: int | None = None,
    link_expires_at: datetime | None = None,
) -> OutboxMail | None:
    """Write an e-mail into the caller's transaction; nothing for a person without an address or a clinic that has
    no mail host. An e-mail with a one-time link says until when it works (`link_expires_at`): it is not sent after
    then, and its text is wiped once it is sent or given up."""
    if not to or not clinic.settings.smtp_host:
        return None
    domain = clinic.settings.smtp_from.rpartition('@')[2] or 'localhost'
    row = OutboxMail(
        kind=kind,
        to_address=to,
        subject=subject[:300],
        text_body=text,
        html_body=html,
        calendar=calendar,
        message_id=make_msgid(domain=domain),
        next_attempt_at=clinic.now(),
        created_at=clinic.now(),
        appointment_id=appointment_id,
        link_expires_at=link_expires_at,
    )
    session.add(row)
    return row


@dataclass(frozen=True, slots=True)
class Outcome:
    sent: bool
    permanent: bool = False
    error: str = ''
    unreachable: bool = False  # no connection to the server (as opposed to its answer about this e-mail)


def send_due(clinic: Clinic, *, limit: int = 50) -> int:
    """Send the e-mails that are due, oldest first, one at a time over one SMTP connection; return how many the SMTP
    server accepted. Each acceptance is recorded at once, before the next e-mail (and before the goodbye to the
    server), so a crash can catch at most the one e-mail between the server's "250" and that record.

    Blocking (SMTP): run it off the event loop, in the one process that sends.
    """
    if not _any_due(clinic):  # the usual case: a read, not the write lock
        return 0
    accepted = 0
    postman = Postman(clinic.settings)
    try:
        for _ in range(limit):
            row = _claim_next(clinic)
            if row is None:
                break
            outcome = postman.deliver(row)
            _record(clinic, row.id, outcome)
            accepted += outcome.sent
            if outcome.unreachable:  # the rest wait for the next round rather than each waiting for a timeout
                break
    finally:
        postman.close()
    return accepted


def resume_interrupted(clinic: Clinic) -> int:
    """At start: e-mails left `sending` by a process that died during the exchange are due again (same Message-ID)."""
    with clinic.db.writing() as session:
        rows = session.exec(select(OutboxMail).where(OutboxMail.status == MailStatus.sending)).all()
        for row in rows:
            row.status, row.next_attempt_at = MailStatus.pending, clinic.now()
            session.add(row)
    return len(rows)


def retry_failed(clinic: Clinic, *, mail_id: int, actor_id: int | None = None) -> None:
    """Give a failed e-mail another full round of attempts (the front desk fixed the address or the server); `actor_id`
    is the person asking (None: the clinic itself)."""
    with clinic.db.writing() as session:
        if actor_id is not None:
            require_front_desk(load_actor(session, actor_id))
        row = session.get(OutboxMail, mail_id)
        if row is None or row.status is not MailStatus.failed:
            raise InvalidInput(N_('This e-mail is no longer failed; the list has been refreshed.'))
        if row.link_expires_at is not None:
            raise InvalidInput(LINK_NOT_RESENT)
        row.status, row.attempts, row.next_attempt_at = MailStatus.pending, 0, clinic.now()
        session.add(row)


@dataclass(frozen=True, slots=True)
class MailLine:
    id: int
    to: str
    subject: str
    status: MailStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    error: str
    can_retry: bool  # failed, and no one-time link in it (the person asks for a new link instead)


@dataclass(frozen=True, slots=True)
class OutboxView:
    counts: dict[MailStatus, int]
    recent: tuple[MailLine, ...]


def outbox_view(clinic: Clinic, *, actor_id: int, limit: int = 50) -> OutboxView:
    """The front desk's look at the outbox: how many e-mails are pending, sent and failed, and the latest ones
    (failed ones first, with the server's words)."""
    with clinic.db.reading() as session:
        require_front_desk(load_actor(session, actor_id))
        counts = dict(session.exec(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all())
        rows = session.exec(
            select(OutboxMail)
            .order_by(col(OutboxMail.status) != MailStatus.failed, col(OutboxMail.id).desc())
            .limit(limit)
        ).all()
    return OutboxView(
        counts={status: counts.get(status, 0) for status in MailStatus},
        recent=tuple(
            MailLine(
                id=row.id or 0,
                to=row.to_address,
                subject=row.subject,
                status=row.status,
                attempts=row.attempts,
                created_at=row.created_at,
                sent_at=row.sent_at,
                next_attempt_at=row.next_attempt_at,
                error=row.last_error,
                can_retry=row.status is MailStatus.failed and row.link_expires_at is None,
            )
            for row in rows
        ),
    )


class Postman:
    """Hands e-mails to the SMTP server over one connection, opened for the first and closed by `close`; after any
    trouble the connection is dropped and the next e-mail opens a new one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def deliver(self, row: OutboxMail) -> Outcome:
        """Hand one e-mail over; say whether the server took it, and if not whether trying again can help."""
        try:
            smtp = self._connection()
        except (OSError, smtplib.SMTPException) as trouble:  # the server, not this e-mail: every e-mail waits for it
            self._drop()
            return Outcome(False, error=_trouble(trouble), unreachable=True)
        try:
            smtp.send_message(_message(self.settings, row))
        except smtplib.SMTPRecipientsRefused as refused:
            self._drop()
            codes = [code for code, _ in refused.recipients.values()]
            return Outcome(False, permanent=all(code >= 500 for code in codes), error=_words(refused.recipients))
        except smtplib.SMTPResponseException as answer:
            self._drop()
            return Outcome(False, permanent=answer.smtp_code >= 500, error=_trouble(answer))
        except (OSError, smtplib.SMTPException) as trouble:  # a timeout, a dropped line: try again
            self._drop()
            return Outcome(False, error=_trouble(trouble), unreachable=True)
        except Exception as trouble:  # the e-mail itself cannot be written (a bad header): no attempt will do
            self._drop()
            return Outcome(False, permanent=True, error=_trouble(trouble))
        return Outcome(True)

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):  # a goodbye the server missed loses nothing
                self._smtp.quit()
            self._drop()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            smtp = smtplib.SMTP(self.settings.smtp_host or '', self.settings.smtp_port, timeout=20)
            try:
                if self.settings.smtp_starttls:
                    smtp.starttls()
                if self.settings.smtp_username:
                    smtp.login(self.settings.smtp_username, self.settings.smtp_password or '')
            except BaseException:
                smtp.close()
                raise
            self._smtp = smtp
        return self._smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None


def _any_due(clinic: Clinic) -> bool:
    with clinic.db.reading() as session:
        due = session.exec(
            select(OutboxMail.id)
            .where(OutboxMail.status == MailStatus.pending, col(OutboxMail.next_attempt_at) <= clinic.now())
            .limit(1)
        ).first()
    return due is not None


def _claim_next(clinic: Clinic) -> OutboxMail | None:
    """Mark the oldest due e-mail as being sent, in its own committed transaction, and return it; an e-mail whose
    one-time link expired meanwhile is given up on the way."""
    with clinic.db.writing() as session:
        while True:
            row = session.exec(
                select(OutboxMail)
                .where(OutboxMail.status == MailStatus.pending, col(OutboxMail.next_attempt_at) <= clinic.now())
                .order_by(col(OutboxMail.next_attempt_at), col(OutboxMail.id))
                .limit(1)
            ).first()
            if row is None:
                return None
            if row.link_expires_at is None or row.link_expires_at > clinic.now():
                break
            row.status, row.last_error = MailStatus.failed, LINK_EXPIRED
            _wipe_link(row)
            session.add(row)
            session.flush()
        row.status, row.attempts = MailStatus.sending, row.attempts + 1
        session.add(row)
        session.flush()
        session.expunge(row)
        return row


def _record(clinic: Clinic, mail_id: int | None, outcome: Outcome) -> None:
    with clinic.db.writing() as session:
        row = session.get(OutboxMail, mail_id)
        if row is None:
            return
        if outcome.sent:
            row.status, row.sent_at, row.last_error = MailStatus.sent, clinic.now(), ''
            _wipe_link(row)
        elif outcome.permanent or row.attempts >= ATTEMPTS:
            row.status, row.last_error = MailStatus.failed, outcome.error[:1000]
            _wipe_link(row)
            log.warning('e-mail %s to %s failed for good: %s', row.message_id, row.to_address, outcome.error)
        else:
            row.status, row.last_error = MailStatus.pending, outcome.error[:1000]
            row.next_attempt_at = clinic.now() + RETRY_AFTER[row.attempts - 1]
        session.add(row)


def _wipe_link(row: OutboxMail) -> None:
    """Keep no working link in the database once the e-mail that carried it is gone (sent, or given up)."""
    if row.link_expires_at is not None:
        row.text_body, row.html_body = WIPED, None


def _message(settings: Settings, row: OutboxMail) -> EmailMessage:
    message = EmailMessage()
    message['From'], message['To'], message['Subject'] = settings.smtp_from, row.to_address, row.subject
    message['Message-ID'] = row.message_id
    message['Date'] = format_datetime(row.created_at)
    message.set_content(row.text_body)
    if row.html_body:
        message.add_alternative(row.html_body, subtype='html')
    if row.calendar:
        method = 'CANCEL' if 'METHOD:CANCEL' in row.calendar else 'REQUEST'
        message.add_attachment(
            row.calendar.encode(),
            maintype='text',
            subtype='calendar',
            filename='appointment.ics',
            params={'method': method},
        )
    return message


def _trouble(trouble: Exception) -> str:
    if isinstance(trouble, smtplib.SMTPResponseException):
        return f'{trouble.smtp_code} {_text(trouble.smtp_error)}'
    return f'{type(trouble).__name__}: {trouble}'


def _text(value: bytes | str) -> str:
    return value.decode(errors='replace') if isinstance(value, bytes) else value


def _words(recipients: dict[str, tuple[int, bytes]]) -> str:
    return '; '.join(f'{address}: {code} {_text(text)}' for address, (code, text) in recipients.items())
