"""exports (issue 10): lists written to XLSX/CSV files in the background, with approval

Revision ID: 0016_exports
Revises: 0015_screening_indexes
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0016_exports"
down_revision = "0015_screening_indexes"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)
REGION = sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("params", fangkong.models.base.JSONType, nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_done", sa.Integer(), nullable=False),
        sa.Column("personal", sa.Boolean(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("started_at", UTC, nullable=True),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("expires_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_exports_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_exports_approved_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exports")),
    )
    op.create_index("ix_exports_requester", "exports", ["requested_by", "id"])
    op.create_index("ix_exports_status", "exports", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_exports_status", table_name="exports")
    op.drop_index("ix_exports_requester", table_name="exports")
    op.drop_table("exports")
