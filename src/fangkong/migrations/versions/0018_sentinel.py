"""sentinels (issue 11): fever clinics, pharmacies, visits, four-drug sales, alerts

Revision ID: 0018_sentinel
Revises: 0017_vaccination
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0018_sentinel"
down_revision = "0017_vaccination"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)
REGION = sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")
BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _sites() -> None:
    op.create_table(
        "sentinel_sites",
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venues.id"],
            name=op.f("fk_sentinel_sites_venue_id_venues"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("venue_id", name=op.f("pk_sentinel_sites")),
    )
    op.create_index("ix_sentinel_sites_region", "sentinel_sites", ["region_code", "venue_id"])


def _reports(table: str, extra: list[sa.Column]) -> None:  # type: ignore[type-arg]
    op.create_table(
        table,
        sa.Column("id", BIG, nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("person_id", BIG, nullable=False),
        sa.Column("grid_code", REGION, nullable=False),
        *extra,
        sa.Column("marked", sa.Boolean(), nullable=False),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.Column("reported_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["sentinel_sites.venue_id"],
            name=op.f(f"fk_{table}_venue_id_sentinel_sites"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f(f"fk_{table}_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )


def upgrade() -> None:
    _sites()
    _reports(
        "fever_visits",
        [
            sa.Column("visited_at", UTC, nullable=False),
            sa.Column("visited_on", sa.Date(), nullable=False),
            sa.Column("symptoms", fangkong.models.base.JSONType, nullable=False),
            sa.Column("temperature", sa.Float(), nullable=True),
            sa.Column("nat_taken", sa.Boolean(), nullable=False),
        ],
    )
    op.create_index("ix_fever_visits_region_day", "fever_visits", ["region_code", "visited_on"])
    op.create_index("ix_fever_visits_venue_day", "fever_visits", ["venue_id", "visited_on"])
    op.create_index("ix_fever_visits_day", "fever_visits", ["visited_on", "region_code"])
    op.create_index("ix_fever_visits_person", "fever_visits", ["person_id"])
    _reports(
        "drug_sales",
        [
            sa.Column("drug_class", sa.String(length=16), nullable=False),
            sa.Column("quantity", sa.SmallInteger(), nullable=False),
            sa.Column("sold_at", UTC, nullable=False),
            sa.Column("sold_on", sa.Date(), nullable=False),
            sa.Column("contacted_at", UTC, nullable=True),
            sa.Column("contacted_by", sa.Integer(), nullable=True),
        ],
    )
    op.create_index("ix_drug_sales_region_day", "drug_sales", ["region_code", "sold_on"])
    op.create_index("ix_drug_sales_grid", "drug_sales", ["grid_code", "id"])
    op.create_index("ix_drug_sales_person", "drug_sales", ["person_id"])
    op.create_table(
        "sentinel_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_code", REGION, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("factor", sa.Float(), nullable=False),
        sa.Column("edition_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentinel_alerts")),
    )
    op.create_index(
        "ix_sentinel_alerts_district_day",
        "sentinel_alerts",
        ["district_code", "day"],
        unique=True,
    )
    op.create_index("ix_sentinel_alerts_day", "sentinel_alerts", ["day", "district_code"])


def downgrade() -> None:
    op.drop_table("sentinel_alerts")
    op.drop_table("drug_sales")
    op.drop_table("fever_visits")
    op.drop_table("sentinel_sites")
