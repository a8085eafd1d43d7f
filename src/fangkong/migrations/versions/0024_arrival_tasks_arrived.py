"""arrivals: each task carries its trip's arrival, indexed for the figures of a day

The screening figures and the command dashboard count the landing tests and screenings of the
trips that arrived on a day. They joined the day's trips to their tasks, one index look-up per
trip (60,000 a day in Harbin's volume), the larger part of the dashboard's time. A trip's
arrival never changes once the trip exists, so each task now carries a copy
(``arrival_tasks.arrived_at``, filled from ``trips`` here), and ``ix_arrival_tasks_arrived``
(kind, status, arrived_at, grid_code, due_at, done_at) holds a day's tasks of one kind and
status as one range: the day's landing tests done are counted without reading the open ones.

Revision ID: 0024_arrival_tasks_arrived
Revises: 0023_placements_in_force
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0024_arrival_tasks_arrived"
down_revision = "0023_placements_in_force"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)
COLUMNS = ["kind", "status", "arrived_at", "grid_code", "due_at", "done_at"]


def upgrade() -> None:
    with op.batch_alter_table("arrival_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arrived_at", UTC, nullable=True))
    op.execute(
        "UPDATE arrival_tasks SET arrived_at = "
        "(SELECT trips.arrived_at FROM trips WHERE trips.id = arrival_tasks.trip_id)"
    )
    with op.batch_alter_table("arrival_tasks", schema=None) as batch_op:
        batch_op.alter_column("arrived_at", existing_type=UTC, nullable=False)
    op.create_index("ix_arrival_tasks_arrived", "arrival_tasks", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_arrival_tasks_arrived", table_name="arrival_tasks")
    with op.batch_alter_table("arrival_tasks", schema=None) as batch_op:
        batch_op.drop_column("arrived_at")
