"""A consistent copy of a live SQLite database, taken with SQLite's online backup API."""

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from config import Settings


def backup_database(settings: Settings, target: Path) -> Path:
    """Copy the clinic's SQLite database to `target` while the app may be running; return the written path."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != 'sqlite' or not url.database:
        raise ValueError('Backups here are for the SQLite database; use pg_dump for PostgreSQL.')
    source_path = Path(url.database)
    if not source_path.exists():
        raise FileNotFoundError(f'No database at {source_path}')
    if target.is_dir() or not target.suffix:  # a folder: one dated file per backup
        target = target / f'clinic-{datetime.now():%Y%m%d-%H%M%S}.db'
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + '.partial')
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination, pages=256)  # in steps, so the app's writers are only briefly held up
        check = destination.execute('PRAGMA integrity_check').fetchone()[0]
        if check != 'ok':
            raise RuntimeError(f'the copy failed its integrity check: {check}')
    finally:
        destination.close()
        source.close()
    partial.replace(target)  # only a complete, checked copy ever carries the final name
    return target
