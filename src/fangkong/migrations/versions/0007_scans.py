"""scans tables (issue 6)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import fangkong.models.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
REGION = sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")
UTC = fangkong.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scans",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("scanned_at", UTC, nullable=False),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("mask", sa.Boolean(), nullable=True),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("override", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("device", sa.String(length=64), nullable=True),
        sa.Column("batch", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scans")),
        sa.UniqueConstraint("venue_id", "person_id", "scanned_at", name="uq_scans_visit"),
    )
    op.create_index("ix_scans_person", "scans", ["person_id", "scanned_at"])
    op.create_index("ix_scans_venue_time", "scans", ["venue_id", "scanned_at", "person_id"])
    op.create_index("ix_scans_region_time", "scans", ["region_code", "scanned_at"])


def downgrade() -> None:
    op.drop_index("ix_scans_region_time", table_name="scans")
    op.drop_index("ix_scans_venue_time", table_name="scans")
    op.drop_index("ix_scans_person", table_name="scans")
    op.drop_table("scans")
