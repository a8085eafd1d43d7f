"""vaccination (issue 11): vaccines, doses, per-person status

Revision ID: 0017_vaccination
Revises: 0016_exports
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0017_vaccination"
down_revision = "0016_exports"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)
REGION = sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "vaccines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("series_doses", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vaccines")),
    )
    op.create_index("ix_vaccines_code", "vaccines", ["code"], unique=True)
    op.create_table(
        "vaccination_doses",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("person_id", BIGID, nullable=False),
        sa.Column("vaccine_id", sa.Integer(), nullable=False),
        sa.Column("dose_number", sa.SmallInteger(), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("site", sa.String(length=100), nullable=False),
        sa.Column("batch", sa.String(length=40), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_vaccination_doses_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vaccine_id"], ["vaccines.id"], name=op.f("fk_vaccination_doses_vaccine_id_vaccines")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vaccination_doses")),
    )
    op.create_index(
        "ix_vaccination_doses_person_number",
        "vaccination_doses",
        ["person_id", "dose_number"],
        unique=True,
    )
    op.create_index("ix_vaccination_doses_region_code", "vaccination_doses", ["region_code", "id"])
    op.create_table(
        "vaccination_status",
        sa.Column("person_id", BIGID, nullable=False),
        sa.Column("grid_code", REGION, nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("doses", sa.SmallInteger(), nullable=False),
        sa.Column("series_doses", sa.SmallInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("boosted", sa.Boolean(), nullable=False),
        sa.Column("last_dose_on", sa.Date(), nullable=False),
        sa.Column("booster_due_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_vaccination_status_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_vaccination_status")),
    )
    op.create_index(
        "ix_vaccination_status_coverage",
        "vaccination_status",
        ["grid_code", "birth_date", "doses", "complete", "boosted"],
    )
    op.create_index(
        "ix_vaccination_status_due", "vaccination_status", ["grid_code", "booster_due_on"]
    )
    op.create_table(
        "vaccination_counts",
        sa.Column("grid_code", REGION, nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("doses", sa.SmallInteger(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("boosted", sa.Boolean(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("counted_on", sa.Date(), nullable=False),
        sa.Column("counted_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint(
            "grid_code",
            "band",
            "doses",
            "complete",
            "boosted",
            name=op.f("pk_vaccination_counts"),
        ),
    )


def downgrade() -> None:
    op.drop_table("vaccination_counts")
    op.drop_index("ix_vaccination_status_due", table_name="vaccination_status")
    op.drop_index("ix_vaccination_status_coverage", table_name="vaccination_status")
    op.drop_table("vaccination_status")
    op.drop_index("ix_vaccination_doses_region_code", table_name="vaccination_doses")
    op.drop_index("ix_vaccination_doses_person_number", table_name="vaccination_doses")
    op.drop_table("vaccination_doses")
    op.drop_index("ix_vaccines_code", table_name="vaccines")
    op.drop_table("vaccines")
