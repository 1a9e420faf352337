"""The clinic's mail sender for the crash test: takes over as a starting process does, then sends the outbox's
e-mails in small rounds until none is waiting, and exits.

Run as `python -m tests.crash.sender DATA_DIR SMTP_PORT DATABASE_URL`; the test kills it at random moments.
"""

import sys
from pathlib import Path

from sqlmodel import select

from config import Settings
from models import MailStatus, OutboxMail
from services.outbox import resume_interrupted, send_due
from services.startup import open_clinic


def settings(data_dir: Path, smtp_port: int, database_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        timezone='UTC',
        demo=True,
        smtp_host='127.0.0.1',
        smtp_port=smtp_port,
        smtp_starttls=False,
        smtp_from='clinic@test.example',
    )


def main(data_dir: Path, smtp_port: int, database_url: str) -> None:
    clinic = open_clinic(settings(data_dir, smtp_port, database_url))
    resume_interrupted(clinic)  # as the scheduler does when this process becomes the one that sends
    while True:
        send_due(clinic, limit=5)
        with clinic.db.reading() as session:
            waiting = session.exec(select(OutboxMail.id).where(OutboxMail.status != MailStatus.sent)).first()
        if waiting is None:
            return


if __name__ == '__main__':
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
