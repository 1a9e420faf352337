"""Open the clinic on start-up: database, hub, clock, first accounts, and the session secret.

The clinic's files hold patients' data and the secret that signs every session, so they are the app user's alone:
the data folder is 0700, and every file the process creates is 0600 (its umask), the database and its WAL, session
files and backups included.
"""

import logging
import os
import secrets
from pathlib import Path

from config import Settings

from .accounts import ensure_first_admin
from .clinic import Clinic
from .clock import Clock, SystemClock
from .database import Database
from .demo import create_demo_clinic
from .i18n import PSEUDO, shipped_languages
from .live.hub import EventHub, SingleProcess, Transport
from .live.postgres import PostgresTransport

log = logging.getLogger(__name__)


EXAMPLE_SECRET = 'CHANGE-ME'  # the placeholder in deploy/clinic.env.example
MIN_SECRET_LENGTH = 32
DATA_FILES = ('clinic.db', 'clinic.db-wal', 'clinic.db-shm', 'clinic.db-journal', 'storage_secret')


class UnsafeSetting(ValueError):
    """A setting that would leave the clinic open to anyone: the app refuses to start with it."""


def keep_files_private() -> None:
    """Make every file and folder this process creates readable by its own user only (call first thing)."""
    os.umask(0o077)


def open_clinic(settings: Settings, *, clock: Clock | None = None, transport: Transport | None = None) -> Clinic:
    """Connect to the database, migrate it, and seed the demo clinic or the first admin."""
    refuse_unsafe_settings(settings)
    refuse_unknown_languages(settings)
    _private_data_dir(settings.data_dir)
    db = Database(settings.resolved_database_url)
    if transport is None:  # several app processes may share a PostgreSQL database: events travel between them
        transport = PostgresTransport(db.engine) if db.is_postgres else SingleProcess()
    clinic = Clinic(settings=settings, db=db, hub=EventHub(transport), clock=clock or SystemClock())
    with db.starting_up():  # processes starting together migrate and seed one after the other
        db.upgrade()
        if settings.demo:
            if create_demo_clinic(clinic):
                log.info('created the demo clinic; every demo password is demo1234')
        else:
            message = ensure_first_admin(clinic)
            if message:
                print(message, flush=True)  # shown once, on the console of whoever started the clinic
    return clinic


def refuse_unknown_languages(settings: Settings) -> None:
    """Refuse to offer a language the app has no catalog for (it would show English under another name)."""
    missing = [code for code in settings.offered_languages if code not in (*shipped_languages(), PSEUDO)]
    if missing:
        raise UnsafeSetting(
            f'No catalog for {", ".join(missing)} (CLINIC_LANGUAGES, CLINIC_DEFAULT_LANGUAGE): the app speaks '
            f'{", ".join(shipped_languages())}.'
        )


def refuse_unsafe_settings(settings: Settings) -> None:
    """Refuse the example secrets, and a session secret short enough to guess (raises UnsafeSetting)."""
    if settings.storage_secret is not None or (settings.data_dir / 'storage_secret').exists():
        storage_secret(settings)
    if settings.database_url and EXAMPLE_SECRET in settings.database_url:
        raise UnsafeSetting(
            f'CLINIC_DATABASE_URL still has the example password {EXAMPLE_SECRET}: give the database user its own.'
        )


def storage_secret(settings: Settings) -> str:
    """Return the secret that signs session cookies: from settings, or generated once and kept in the data dir."""
    if settings.storage_secret is not None:
        return _check_secret(settings.storage_secret, 'CLINIC_STORAGE_SECRET')
    path = Path(settings.data_dir) / 'storage_secret'
    if path.exists():
        return _check_secret(path.read_text().strip(), str(path))
    secret = secrets.token_urlsafe(48)
    _private_data_dir(path.parent)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret


def _check_secret(secret: str, where: str) -> str:
    if secret.strip() == EXAMPLE_SECRET:
        raise UnsafeSetting(f'{where} is the example value {EXAMPLE_SECRET}: anyone could sign session cookies.')
    if len(secret) < MIN_SECRET_LENGTH:
        raise UnsafeSetting(
            f'{where} has {len(secret)} characters; it needs at least {MIN_SECRET_LENGTH}. Make one with: '
            'python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
    return secret


def _private_data_dir(folder: Path) -> None:
    """Create the data folder for the app user alone, and take back the files an older version left readable."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        folder.chmod(0o700)
        for path in [*(folder / name for name in DATA_FILES), *(folder / 'sessions').glob('*')]:
            if path.is_file() and not path.is_symlink():
                path.chmod(0o600)
    except PermissionError as error:  # a folder set up by another user: say so, the app may still work
        log.warning('could not make %s private to the app user: %s', folder, error)
