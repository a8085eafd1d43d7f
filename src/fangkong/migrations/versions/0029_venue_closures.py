"""venues: closures (暂停营业) — a venue closed by the command office for a period

Revision ID: 0029_venue_closures
Revises: 0028_scans_person_day_sqlite
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0029_venue_closures"
down_revision = "0028_scans_person_day_sqlite"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "venue_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("starts_at", UTC, nullable=False),
        sa.Column("ends_at", UTC, nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("reopened_by", sa.Integer(), nullable=True),
        sa.Column("reopen_note", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_venue_closures_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue_closures")),
    )
    op.create_index(
        "ix_venue_closures_venue", "venue_closures", ["venue_id", "starts_at"], unique=False
    )
    op.create_index("ix_venue_closures_ends", "venue_closures", ["ends_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_venue_closures_ends", table_name="venue_closures")
    op.drop_index("ix_venue_closures_venue", table_name="venue_closures")
    op.drop_table("venue_closures")
