"""Kill the process that sends the clinic's mail with SIGKILL at random moments, many times: no e-mail is lost, and
an e-mail the SMTP server accepted is never sent again, but for the one a kill caught between the server's "250"
and the record of it, which goes again with the same Message-ID (so the patient's mail program shows one)."""

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import select

from models import MailStatus, OutboxMail
from services.outbox import queue_mail
from services.startup import open_clinic
from tests.crash.sender import settings
from tests.factories import Mailbox
from tests.waiting import until

ROOT = Path(__file__).resolve().parents[2]
KILLS = 15
MAILS = 120


async def test_sigkill_at_random_moments_loses_no_mail_and_resends_none_the_server_was_known_to_have(
    tmp_path, database_url
):
    rng = random.Random(20261125)
    with Mailbox() as mailbox:
        clinic = open_clinic(settings(tmp_path / 'data', mailbox.port, database_url))
        with clinic.db.writing() as session:  # written as changes write them; the sender has not started yet
            queued = [
                queue_mail(
                    session,
                    clinic,
                    kind='confirmation',
                    to=f'patient{i}@mail.example',
                    subject='Booked',
                    text=f'See you, patient {i}.',
                )
                for i in range(MAILS)
            ]
            message_ids = {row.message_id for row in queued if row is not None}
        env = {key: value for key, value in os.environ.items() if not key.startswith(('PYTEST', 'NICEGUI', 'CLINIC_'))}
        command = [sys.executable, '-m', 'tests.crash.sender', str(tmp_path / 'data'), str(mailbox.port), database_url]
        caught_mid_send: set[str] = set()  # e-mails a kill left 'sending': the only ones that may arrive twice
        for _ in range(KILLS):
            sender = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            await _more_mails(mailbox, sender, rng.randint(1, 6))
            assert sender.poll() is None, f'the sender stopped before it was killed: {sender.stderr.read().decode()}'
            await asyncio.sleep(rng.uniform(0, 0.02))  # the kill lands at a random moment among the next sends
            sender.send_signal(signal.SIGKILL)
            sender.wait()
            with clinic.db.reading() as session:
                sending = session.exec(select(OutboxMail.message_id).where(OutboxMail.status == MailStatus.sending))
                interrupted = set(sending.all())
            assert len(interrupted) <= 1  # one e-mail at a time is between claim and record
            caught_mid_send |= interrupted
        last = subprocess.run(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120
        )
        assert last.returncode == 0, last.stderr.decode()
        received = Counter(mail['Message-ID'] for mail in mailbox.received)
        with clinic.db.reading() as session:
            statuses = Counter(session.exec(select(OutboxMail.status)).all())
        clinic.db.dispose()
    twice = {message_id for message_id, copies in received.items() if copies > 1}
    print(
        f'\nmail crash test ({clinic.db.engine.dialect.name}): {KILLS} SIGKILLs while sending {MAILS} e-mails; '
        f'{len(message_ids - set(received))} lost, {len(caught_mid_send)} caught mid-send, {len(twice)} sent twice'
    )
    assert set(received) == message_ids  # none lost, nothing else sent
    assert statuses == {MailStatus.sent: MAILS}
    assert twice <= caught_mid_send  # an e-mail recorded as sent never goes again
    assert all(copies <= 2 for copies in received.values())


async def _more_mails(mailbox: Mailbox, sender: subprocess.Popen, count: int) -> None:
    """Wait until the server has received `count` more e-mails (or the sender stopped by itself)."""
    wanted = len(mailbox.received) + count
    await until(lambda: len(mailbox.received) >= wanted or sender.poll() is not None, timeout=60)
