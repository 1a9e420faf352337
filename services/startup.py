"""Open the clinic on start-up: database, hub, clock, first accounts, and the session secret."""

import logging
import secrets
from pathlib import Path

from config import Settings

from .accounts import ensure_first_admin
from .clinic import Clinic
from .clock import Clock, SystemClock
from .database import Database
from .demo import create_demo_clinic
from .live.hub import EventHub, SingleProcess, Transport
from .live.postgres import PostgresTransport

log = logging.getLogger(__name__)


def open_clinic(settings: Settings, *, clock: Clock | None = None, transport: Transport | None = None) -> Clinic:
    """Connect to the database, migrate it, and seed the demo clinic or the first admin."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
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


def storage_secret(settings: Settings) -> str:
    """Return the secret that signs session cookies: from settings, or generated once and kept in the data dir."""
    if settings.storage_secret:
        return settings.storage_secret
    path = Path(settings.data_dir) / 'storage_secret'
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(secret)
    return secret
