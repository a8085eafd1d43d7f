"""quarantine: an index for the placements in force by region and measure

The command dashboard counts a region's placements waiting for a room or under control by
measure. ``ix_placements_region`` starts with the region, so a city's count read every
placement ever made there (or SQLite chose ``ix_placements_due`` and read each row in force
from the table); ``ix_placements_in_force`` (status, region, measure) answers it from the
index, over the placements in force alone.

Revision ID: 0023_placements_in_force
Revises: 0022_care_escalation
"""

from __future__ import annotations

from alembic import op

revision = "0023_placements_in_force"
down_revision = "0022_care_escalation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_placements_in_force", "placements", ["status", "region_code", "measure"])


def downgrade() -> None:
    op.drop_index("ix_placements_in_force", table_name="placements")
