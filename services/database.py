"""Engine and sessions. Write transactions take the clinic's write lock up front, so a use case's checks and its
writes cannot interleave with another's: SQLite's own lock (`BEGIN IMMEDIATE`, WAL mode) in one process, a
transaction-scoped PostgreSQL advisory lock across every process of a clinic group."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import models  # noqa: F401  # registers the tables on SQLModel.metadata


class Database:
    """Hands out sessions: `reading()` for queries, `writing()` for one use case's transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _create_engine(url)
        self._writer = self.engine.execution_options(clinic_write=True)

    def upgrade(self, revision: str = 'head') -> None:
        """Migrate the database to `revision` with Alembic; a database made before migrations existed is adopted."""
        with self.engine.connect() as connection, _references_checked_after(connection), connection.begin():
            if connection.dialect.name == 'postgresql':  # processes starting together migrate one after the other
                connection.exec_driver_sql(f'SELECT pg_advisory_xact_lock({MIGRATION_LOCK})')
            tables = set(inspect(connection).get_table_names())
            config = _alembic_config(connection)
            if 'users' in tables and 'alembic_version' not in tables:  # made by create_all before migrations
                missing = [SQLModel.metadata.tables[name] for name in FIRST_TABLES if name not in tables]
                SQLModel.metadata.create_all(connection, tables=missing)
                command.stamp(config, FIRST_REVISION)
            command.upgrade(config, revision)
            if connection.dialect.name == 'sqlite' and connection.exec_driver_sql('PRAGMA foreign_key_check').first():
                raise RuntimeError('The migration left rows that refer to missing rows; nothing was changed.')

    @contextmanager
    def starting_up(self) -> Iterator[None]:
        """Hold the start-up lock (PostgreSQL: a session advisory lock) while this process migrates and seeds."""
        if not self.is_postgres:
            yield
            return
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f'SELECT pg_advisory_lock({STARTUP_LOCK})')
            connection.commit()
            try:
                yield
            finally:
                connection.exec_driver_sql(f'SELECT pg_advisory_unlock({STARTUP_LOCK})')
                connection.commit()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """Open one transaction; it starts with the write lock so check-then-insert cannot interleave. What the
        transaction asked to do once it is committed (`after_commit`) runs after the commit, and only then."""
        with Session(self._writer, expire_on_commit=False) as session:
            with session.begin():
                yield session
            for then in session.info.pop(_AFTER_COMMIT, []):
                then()

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == 'postgresql'

    def dispose(self) -> None:
        self.engine.dispose()


def after_commit(session: Session, then: Callable[[], None]) -> None:
    """Run `then` once the writing transaction of `session` has committed (never if it rolls back): for a step deep
    inside a use case that must tell the live pages of what it did, as every change does, after the commit."""
    session.info.setdefault(_AFTER_COMMIT, []).append(then)


_AFTER_COMMIT = 'after commit'
FIRST_REVISION = '0001'
FIRST_TABLES = (
    'users',
    'login_failures',
    'doctors',
    'working_hours',
    'unavailabilities',
    'appointments',
    'notifications',
)
MIGRATIONS = Path(__file__).resolve().parents[1] / 'models' / 'migrations'


@contextmanager
def _references_checked_after(connection: Connection) -> Iterator[None]:
    """On SQLite, let a migration rebuild a table that others refer to (Alembic's batch mode copies and drops it):
    reference checks are off for this connection, outside any transaction as SQLite requires, and the migration's
    transaction checks every reference itself before it commits. PostgreSQL alters tables in place."""
    if connection.dialect.name != 'sqlite':
        yield
        return
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
    finally:
        raw.execute('PRAGMA foreign_keys=ON')


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS))
    config.attributes['connection'] = connection
    return config


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == 'postgresql':
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
        event.listen(engine, 'begin', _begin_postgres_transaction)
        return engine
    if parsed.get_backend_name() != 'sqlite':
        raise ValueError(f'unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql+psycopg')
    in_memory = parsed.database in (None, '', ':memory:')
    if not in_memory and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={'check_same_thread': False, 'timeout': 30},
        poolclass=StaticPool if in_memory else None,
    )
    event.listen(engine, 'connect', _configure_sqlite_connection)
    event.listen(engine, 'begin', _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, see _begin_sqlite_transaction
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA journal_mode=WAL')
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=30000')
    cursor.execute('PRAGMA synchronous=NORMAL')
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    mode = 'IMMEDIATE' if connection.get_execution_options().get('clinic_write') else 'DEFERRED'
    connection.exec_driver_sql(f'BEGIN {mode}')


STARTUP_LOCK = 0x53746172  # 'Star': held while one process migrates the schema and seeds the first accounts
MIGRATION_LOCK = 0x4D696772  # 'Migr': held while one process brings the schema up to date
WRITE_LOCK = 0x436C696E  # 'Clin': the advisory lock every write transaction of the clinic holds until it ends


def _begin_postgres_transaction(connection: Any) -> None:
    if connection.get_execution_options().get('clinic_write'):
        connection.exec_driver_sql(f'SELECT pg_advisory_xact_lock({WRITE_LOCK})')


def libpq_url(engine: Engine) -> str:
    """The engine's PostgreSQL URL for psycopg's own connections, with TCP keepalives so a dead peer is noticed."""
    url = make_url(engine.url.render_as_string(hide_password=False)).set(drivername='postgresql')
    keepalive = {'keepalives': '1', 'keepalives_idle': '10', 'keepalives_interval': '5', 'keepalives_count': '3'}
    return str(url.update_query_dict(keepalive).render_as_string(hide_password=False))
