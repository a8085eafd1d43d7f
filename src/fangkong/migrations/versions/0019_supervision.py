"""supervision (issue 11): property companies, inspections, rectification, credit, video points

Revision ID: 0019_supervision
Revises: 0018_sentinel
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0019_supervision"
down_revision = "0018_sentinel"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)
REGION = sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _created() -> sa.Column[object]:
    return sa.Column("created_at", UTC, nullable=False)


def _companies() -> None:
    op.create_table(
        "property_companies",
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("contact", sa.String(length=100), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("credit_score", sa.Integer(), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_property_companies_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_property_companies")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_property_companies_credit_code")),
    )
    op.create_index("ix_property_companies_region", "property_companies", ["region_code", "id"])
    op.create_table(
        "credit_actions",
        _id(),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("score_after", sa.Integer(), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("region_code", REGION, nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["company_id"], ["property_companies.id"],
            name=op.f("fk_credit_actions_company_id_property_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_credit_actions_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_actions")),
    )  # fmt: skip
    op.create_index("ix_credit_actions_company", "credit_actions", ["company_id", "id"])
    op.create_index("ix_credit_actions_region_on", "credit_actions", ["region_code", "acted_on"])


def _communities() -> None:
    op.create_table(
        "property_communities",
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        _created(),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"],
            name=op.f("fk_property_communities_region_code_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["property_companies.id"],
            name=op.f("fk_property_communities_company_id_property_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_property_communities")),
    )  # fmt: skip
    op.create_index(
        "ix_property_communities_region_name",
        "property_communities",
        ["region_code", "name"],
        unique=True,
    )
    op.create_index("ix_property_communities_company", "property_communities", ["company_id"])


def _inspections() -> None:
    op.create_table(
        "inspections",
        _id(),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("inspector_id", sa.Integer(), nullable=True),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        _created(),
        sa.ForeignKeyConstraint(
            ["community_id"], ["property_communities.id"],
            name=op.f("fk_inspections_community_id_property_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["property_companies.id"],
            name=op.f("fk_inspections_company_id_property_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["inspector_id"], ["users.id"], name=op.f("fk_inspections_inspector_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspections")),
    )  # fmt: skip
    op.create_index("ix_inspections_region_on", "inspections", ["region_code", "inspected_on"])
    op.create_index("ix_inspections_community", "inspections", ["community_id", "inspected_on"])
    op.create_table(
        "inspection_findings",
        _id(),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("deadline_on", sa.Date(), nullable=True),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("verified_at", UTC, nullable=True),
        sa.Column("verified_by", sa.Integer(), nullable=True),
        sa.Column("verification_note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], ondelete="CASCADE",
            name=op.f("fk_inspection_findings_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["verified_by"], ["users.id"], name=op.f("fk_inspection_findings_verified_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_findings")),
    )  # fmt: skip
    op.create_index(
        "ix_inspection_findings_inspection",
        "inspection_findings",
        ["inspection_id", "aspect"],
        unique=True,
    )
    op.create_index(
        "ix_inspection_findings_status",
        "inspection_findings",
        ["status", "deadline_on", "region_code"],
    )


def _photos() -> None:
    op.create_table(
        "inspection_photos",
        _id(),
        sa.Column("inspection_id", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=32), nullable=True),
        sa.Column("file_name", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        _created(),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspections.id"], ondelete="CASCADE",
            name=op.f("fk_inspection_photos_inspection_id_inspections"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["users.id"], name=op.f("fk_inspection_photos_uploaded_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_photos")),
        sa.UniqueConstraint("file_name", name=op.f("uq_inspection_photos_file_name")),
    )  # fmt: skip
    op.create_index("ix_inspection_photos_inspection", "inspection_photos", ["inspection_id", "id"])


def _video_points() -> None:
    op.create_table(
        "video_points",
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("checked_at", UTC, nullable=True),
        _created(),
        sa.ForeignKeyConstraint(
            ["community_id"], ["property_communities.id"],
            name=op.f("fk_video_points_community_id_property_communities"),
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name=op.f("fk_video_points_zone_id_zones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_points")),
    )  # fmt: skip
    op.create_index(
        "ix_video_points_community_name", "video_points", ["community_id", "name"], unique=True
    )
    op.create_index("ix_video_points_region", "video_points", ["region_code", "id"])


def upgrade() -> None:
    _companies()
    _communities()
    _inspections()
    _photos()
    _video_points()


def downgrade() -> None:
    for table in (
        "video_points",
        "inspection_photos",
        "inspection_findings",
        "inspections",
        "property_communities",
        "credit_actions",
        "property_companies",
    ):
        op.drop_table(table)
