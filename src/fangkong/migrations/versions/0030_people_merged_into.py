"""people: an index of the records merged into a person (partial: merged records only)

A case's trajectory and its public trajectory read the scans of the person and of every
record merged into it, which looked for those records by a scan of ``people`` (no index on
``merged_into_id``): about a third of a second at 1,000,000 people, for each case the command
office zones in a simulated outbreak.

Revision ID: 0030_people_merged_into
Revises: 0029_venue_closures
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_people_merged_into"
down_revision = "0029_venue_closures"
branch_labels = None
depends_on = None

MERGED = sa.text("merged_into_id IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_people_merged_into",
        "people",
        ["merged_into_id"],
        unique=False,
        sqlite_where=MERGED,
        postgresql_where=MERGED,
    )


def downgrade() -> None:
    op.drop_index("ix_people_merged_into", table_name="people")
