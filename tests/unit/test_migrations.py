"""Schema migrations: a database of the first schema, full of data, upgrades to the newest and keeps every row;
a database made before migrations existed is adopted."""

from datetime import UTC, datetime

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from services.database import MIGRATIONS, Database

ROWS = {
    'users': 'INSERT INTO users (id, email, full_name, role, password_hash, is_active, created_at) VALUES '
    "(1, 'a@x.org', 'Admin', 'admin', 'h', 1, '2026-01-01 00:00:00'), "
    "(2, 'd@x.org', 'Dr. D', 'doctor', 'h', 1, '2026-01-01 00:00:00'), "
    "(3, 'p@x.org', 'Pat', 'patient', 'h', 1, '2026-01-01 00:00:00')",
    'doctors': "INSERT INTO doctors (id, user_id, specialty, slot_minutes) VALUES (1, 2, 'GP', 30)",
    'working_hours': 'INSERT INTO working_hours (doctor_id, weekday, start_time, end_time) VALUES '
    "(1, 0, '09:00:00.000000', '12:00:00.000000')",
    'unavailabilities': 'INSERT INTO unavailabilities (doctor_id, starts_at, ends_at, reason, note, created_by_id, '
    "created_at) VALUES (1, '2030-01-07 09:00:00', '2030-01-07 10:00:00', 'sick', 'n', 2, "
    "'2026-01-01 00:00:00')",
    'appointments': 'INSERT INTO appointments (doctor_id, patient_id, starts_at, ends_at, reason, status, created_at, '
    "cancel_reason) VALUES (1, 3, '2030-01-07 10:00:00', '2030-01-07 10:30:00', 'r', 'booked', "
    "'2026-01-01 00:00:00', '')",
    'notifications': 'INSERT INTO notifications (user_id, appointment_id, kind, message, created_at) VALUES '
    "(3, 1, 'reminder', 'm', '2026-01-01 00:00:00')",
    'login_failures': "INSERT INTO login_failures (email, failed_at) VALUES ('x@y.org', '2026-01-01 00:00:00')",
}


def dump(db: Database, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Every row of the first schema's tables, in the first schema's columns (later migrations may add some)."""
    with db.engine.connect() as connection:
        return {
            table: sorted(connection.execute(text(f'SELECT {", ".join(columns[table])} FROM {table}')).fetchall())
            for table in ROWS
        }


def test_a_full_database_of_the_first_schema_upgrades_and_keeps_every_row(tmp_path):
    db = Database(f'sqlite:///{tmp_path / "clinic.db"}')
    db.upgrade('0001')
    assert 'audit_records' not in inspect(db.engine).get_table_names()
    with db.engine.begin() as connection:
        for insert in ROWS.values():
            connection.execute(text(insert))
    first_columns = {table: [c['name'] for c in inspect(db.engine).get_columns(table)] for table in ROWS}
    before = dump(db, first_columns)

    db.upgrade()  # what the app does on every start

    assert dump(db, first_columns) == before
    assert 'audit_records' in inspect(db.engine).get_table_names()
    with db.engine.connect() as connection:  # every doctor offers a consultation as long as their slot
        assert connection.execute(text('SELECT doctor_id, name, minutes FROM appointment_types')).all() == [
            (1, 'Consultation', 30)
        ]
        kept = connection.execute(  # and every appointment is one, keeping no time beyond its own
            text(
                'SELECT t.name, a.blocked_from = a.starts_at, a.blocked_until = a.ends_at FROM appointments a '
                'JOIN appointment_types t ON t.id = a.type_id'
            )
        ).all()
        assert kept == [('Consultation', 1, 1)]
    with db.engine.connect() as connection:
        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert connection.execute(text('SELECT version_num FROM alembic_version')).scalar() == head
    db.upgrade()  # and again: nothing to do
    assert dump(db, first_columns) == before
    db.dispose()


def test_a_database_made_before_migrations_is_adopted_and_upgraded(tmp_path):
    db = Database(f'sqlite:///{tmp_path / "clinic.db"}')
    first = [
        SQLModel.metadata.tables[name]
        for name in ('users', 'doctors', 'working_hours', 'unavailabilities', 'appointments', 'login_failures')
    ]
    SQLModel.metadata.create_all(db.engine, tables=first)  # an early install: no notifications, no version table
    with db.engine.begin() as connection:
        connection.execute(text(ROWS['users']))
    db.upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {'notifications', 'audit_records', 'alembic_version'} <= tables
    with db.engine.connect() as connection:
        assert connection.execute(text('SELECT COUNT(*) FROM users')).scalar() == 3
    db.dispose()


def test_the_newest_schema_matches_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database(f'sqlite:///{tmp_path / "clinic.db"}')
    db.upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={'compare_type': True})
        assert compare_metadata(context, SQLModel.metadata) == []
    db.dispose()
    assert datetime.now(UTC)
