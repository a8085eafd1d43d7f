"""quarantine: placements indexed by their trip and by their contact

A classified trip and a confirmed, upgraded or closed contact look up their open placements
(``open_for_trip``, ``open_for_contact`` and the bulk ``trips_with_open`` /
``contacts_with_open``), and tracing reads the placements of a list of contacts. Without an
index on ``trip_id`` and ``contact_id`` each look-up read the whole table: at 1,000,000 people
and ~50,000 placements in the fed outbreak's third week, half of a day's time went to the
per-trip look-ups of the day's self-reported arrivals. Both foreign keys are ``ON DELETE SET
NULL``, so deleting trips or contacts (retention) needed the same scans.

Revision ID: 0025_placements_trip_contact
Revises: 0024_arrival_tasks_arrived
"""

from __future__ import annotations

from alembic import op

revision = "0025_placements_trip_contact"
down_revision = "0024_arrival_tasks_arrived"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_placements_trip", "placements", ["trip_id", "status"])
    op.create_index("ix_placements_contact", "placements", ["contact_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_placements_contact", table_name="placements")
    op.drop_index("ix_placements_trip", table_name="placements")
