"""Two app processes on one PostgreSQL database share one outbox: exactly one of them (the one running the clinic's
jobs) sends, every e-mail reaches the SMTP server once, and when that process dies the other sends what is left."""

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from config import Settings
from services.live.events import MailQueued
from services.outbox import queue_mail
from services.startup import open_clinic
from tests.databases import POSTGRES_URL
from tests.e2e.conftest import RESULTS, App
from tests.factories import Mailbox

pytestmark = pytest.mark.skipif(POSTGRES_URL is None, reason='CLINIC_TEST_POSTGRES_URL is not set')

SECRET = 'one-secret-for-every-process-of-the-group'


@pytest.fixture
def group(tmp_path, postgres_databases, request) -> Iterator[tuple[Mailbox, str, dict[str, App]]]:
    url = postgres_databases.new()
    RESULTS.mkdir(exist_ok=True)
    with Mailbox() as mailbox:
        apps = {}
        try:
            for name in ('a', 'b'):  # each process signs its mail with its own sender, so the test sees who sent
                env = {
                    **mailbox.environment,
                    'CLINIC_DATABASE_URL': url,
                    'CLINIC_STORAGE_SECRET': SECRET,
                    'CLINIC_SMTP_FROM': f'clinic-{name}@test.example',
                }
                apps[name] = App(tmp_path / name, RESULTS / f'{request.node.name}.{name}.log', env)
                apps[name].start()
            yield mailbox, url, apps
        finally:
            for app in apps.values():
                app.stop()
    postgres_databases.drop(url)


def write_mails(url: str, tmp_path, mailbox: Mailbox, first: int, count: int) -> set[str]:
    """Write e-mails into the shared outbox, as a change in any process does, and announce them; their Message-IDs."""
    clinic = open_clinic(Settings(data_dir=tmp_path / 'writer', database_url=url, demo=True, **mailbox.settings))
    try:
        with clinic.db.writing() as session:
            rows = [
                queue_mail(session, clinic, kind='confirmation', to=f'p{n}@mail.example', subject='Booked', text=f'{n}')
                for n in range(first, first + count)
            ]
            ids = {row.message_id for row in rows if row is not None}
        clinic.hub.publish(MailQueued())  # crosses to the app processes over PostgreSQL
    finally:
        clinic.db.dispose()
    return ids


def arrived(mailbox: Mailbox, wanted: set[str], within: float) -> None:
    deadline = time.monotonic() + within
    while not wanted <= {mail['Message-ID'] for mail in mailbox.received}:
        assert time.monotonic() < deadline, f'{len(wanted - {m["Message-ID"] for m in mailbox.received})} missing'
        time.sleep(0.05)


def test_exactly_one_process_sends_and_the_survivor_sends_the_rest(group, tmp_path):
    mailbox, url, apps = group
    [leader] = [name for name, app in apps.items() if app.health()['runs_clinic_jobs']]
    [other] = [name for name in apps if name != leader]

    first = write_mails(url, tmp_path, mailbox, 0, 40)
    arrived(mailbox, first, within=10)
    senders = Counter(str(mail['From']) for mail in mailbox.received)
    assert senders == {f'clinic-{leader}@test.example': 40}  # the other process sent none

    apps[leader].kill()  # SIGKILL: the other process takes over the clinic's jobs, the outbox with them
    deadline = time.monotonic() + 60
    while not apps[other].health()['runs_clinic_jobs']:
        assert time.monotonic() < deadline, 'the other process did not take over within a minute'
        time.sleep(0.2)
    rest = write_mails(url, tmp_path, mailbox, 40, 20)
    arrived(mailbox, rest, within=10)
    copies = Counter(mail['Message-ID'] for mail in mailbox.received)
    assert set(copies) == first | rest and set(copies.values()) == {1}  # every one once
    assert Counter(str(mail['From']) for mail in mailbox.received if mail['Message-ID'] in rest) == {
        f'clinic-{other}@test.example': 20
    }
