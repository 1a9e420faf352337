"""reminders are planned from the database on start: APScheduler's job table is no longer used

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 06:10:00
"""

from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute('DROP TABLE IF EXISTS scheduled_jobs')  # jobs pickled by an earlier version; nothing reads them


def downgrade() -> None:
    pass  # an earlier version's APScheduler creates the table again itself when it starts
