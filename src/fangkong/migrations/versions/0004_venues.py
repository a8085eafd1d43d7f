"""venues tables (issue 6)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)


def _region_code() -> sa.String:
    return sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "venues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("region_code", _region_code(), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("place_code_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_venues_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venues")),
    )
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.create_index("ix_venues_region_code", ["region_code", "id"], unique=False)
        batch_op.create_index("ix_venues_region_name", ["region_code", "name"], unique=True)

    op.create_table(
        "venue_operators",
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_venue_operators_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_venue_operators_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("venue_id", "user_id", name=op.f("pk_venue_operators")),
    )
    with op.batch_alter_table("venue_operators", schema=None) as batch_op:
        batch_op.create_index("ix_venue_operators_user_id", ["user_id", "venue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("venue_operators", schema=None) as batch_op:
        batch_op.drop_index("ix_venue_operators_user_id")
    op.drop_table("venue_operators")
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_index("ix_venues_region_name")
        batch_op.drop_index("ix_venues_region_code")
    op.drop_table("venues")
