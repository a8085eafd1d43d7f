"""scans: on SQLite a person's scans are found by (day, person, instant)

A day's bulk ingest of about 870,000 visits into 30,000,000 scans changed index pages all over
``ix_scans_person`` (person, instant): about 1.2 GB of them, which SQLite writes to the log at
the commit and again into the file at the checkpoint. Led by the scan's UTC day,
``ix_scans_person_day`` takes a day's visits into one new stretch of the index. The person
queries name their days (``fangkong.models.scan.person_days``) and seek one range a day.

PostgreSQL keeps ``ix_scans_person``: its scans are partitioned by day, so each day's index is
already small. Nothing changes there.

SQLite cannot reflect an index on an expression, so a later batch migration that rebuilds
``scans`` on SQLite must create this index again.

Revision ID: 0028_scans_person_day_sqlite
Revises: 0027_arrival_tasks_person_no_fk
"""

from __future__ import annotations

from alembic import op

revision = "0028_scans_person_day_sqlite"
down_revision = "0027_arrival_tasks_person_no_fk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX ix_scans_person")
    op.execute(
        "CREATE INDEX ix_scans_person_day ON scans (substr(scanned_at, 1, 10), person_id, "
        "scanned_at)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX ix_scans_person_day")
    op.execute("CREATE INDEX ix_scans_person ON scans (person_id, scanned_at)")
