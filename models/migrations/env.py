"""Alembic environment: run by `services.database.Database.upgrade` with an open connection."""

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401  # registers the tables

OWN_TABLES_OF_OTHERS = {'scheduled_jobs'}  # APScheduler creates and migrates its job table itself


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == 'table' and name in OWN_TABLES_OF_OTHERS)


connection = context.config.attributes['connection']
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    include_object=include_object,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
