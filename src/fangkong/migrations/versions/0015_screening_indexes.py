"""screening figures (issue 8): indexes that cover the overview, the overdue lists, the
accountability report and the daily figures

Each figure reads one index only. SQLite walks a grid-led index grid by grid (a skip-scan) and
counts without a sort; PostgreSQL reads the day's entries of an index led by status or grade
and counts by hash. Four indexes grow by trailing columns (the same entries, so no more work
per written row than a wider key) and one small partial index is added:

- ``ix_trips_grade`` (grade, arrived_at) + (grid_code, id): a day's trips, their grid and the
  id they join their tasks by.
- ``ix_arrival_tasks_trip`` (trip_id, kind) + (status, due_at, done_at, grid_code): the join of
  a day's trips to their tasks.
- ``ix_arrival_tasks_todo`` (grid_code, status, due_at) + (kind, done_at) and
  ``ix_arrival_tasks_due`` (status, due_at) + (kind, grid_code, done_at): the screenings due on
  a day, per grid (SQLite) or in a wide scope (PostgreSQL).
- ``ix_arrival_tasks_open`` (grid_code, kind, due_at, escalation, status) WHERE status =
  'open': the open tasks per grid in grid order (overview, overdue lists), no bigger than the
  open tasks (``status`` is there for SQLite, which reads a partial index alone only when it
  holds the columns of its WHERE).

Revision ID: 0015_screening_indexes
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_screening_indexes"
down_revision = "0014"
branch_labels = None
depends_on = None

OPEN = sa.text("status = 'open'")
TRIPS = {"ix_trips_grade": (["grade", "arrived_at"], ["grid_code", "id"])}
TASKS = {
    "ix_arrival_tasks_trip": (["trip_id", "kind"], ["status", "due_at", "done_at", "grid_code"]),
    "ix_arrival_tasks_todo": (["grid_code", "status", "due_at"], ["kind", "done_at"]),
    "ix_arrival_tasks_due": (["status", "due_at"], ["kind", "grid_code", "done_at"]),
}


def _widen(table: str, indexes: dict[str, tuple[list[str], list[str]]], *, wide: bool) -> None:
    with op.batch_alter_table(table) as batch:
        for name, (columns, added) in indexes.items():
            batch.drop_index(name)
            batch.create_index(name, columns + added if wide else columns)


def upgrade() -> None:
    _widen("trips", TRIPS, wide=True)
    _widen("arrival_tasks", TASKS, wide=True)
    with op.batch_alter_table("arrival_tasks") as batch:
        batch.create_index(
            "ix_arrival_tasks_open",
            ["grid_code", "kind", "due_at", "escalation", "status"],
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("arrival_tasks") as batch:
        batch.drop_index("ix_arrival_tasks_open")
    _widen("arrival_tasks", TASKS, wide=False)
    _widen("trips", TRIPS, wide=False)
