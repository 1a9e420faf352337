"""The databases tests run on: SQLite always; PostgreSQL too when CLINIC_TEST_POSTGRES_URL names a server.

Each PostgreSQL test gets its own database, copied from a template migrated once per test run
(`CREATE DATABASE ... TEMPLATE`), and dropped afterwards.
"""

import itertools
import os

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from services.database import Database

POSTGRES_URL = os.environ.get('CLINIC_TEST_POSTGRES_URL')
BACKENDS = ['sqlite', *(['postgres'] if POSTGRES_URL else [])]


class PostgresDatabases:
    def __init__(self, url: str) -> None:
        self._url = make_url(url)
        self._admin: Engine = create_engine(url, isolation_level='AUTOCOMMIT', poolclass=NullPool)
        self._prefix = f'clinic_test_{os.getpid()}'
        self._template: str | None = None
        self._numbers = itertools.count(1)

    def new(self) -> str:
        """A fresh, migrated, empty clinic database; returns its URL."""
        if self._template is None:
            self._template = f'{self._prefix}_template'
            self._create(self._template)
            db = Database(self.url_of(self._template))
            db.upgrade()
            db.dispose()
        name = f'{self._prefix}_{next(self._numbers)}'
        self._create(name, template=self._template)
        return self.url_of(name)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self._template is not None:
            self.drop(self.url_of(self._template))
        self._admin.dispose()

    def url_of(self, name: str) -> str:
        return self._url.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else '')))
