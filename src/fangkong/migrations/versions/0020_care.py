"""care (issue 11): livelihood requests, volunteers, pairings, responsibility teams

Revision ID: 0020_care
Revises: 0019_supervision
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0020_care"
down_revision = "0019_supervision"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)
REGION = sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "care_teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("leader", sa.String(length=64), nullable=False),
        sa.Column("members", fangkong.models.base.JSONType, nullable=False),
        sa.Column("duties", sa.String(length=1000), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_care_teams_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_teams")),
    )
    op.create_index("ix_care_teams_region", "care_teams", ["region_code", "id"], unique=False)
    op.create_table(
        "care_hazards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("community_code", REGION, nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("fixed_on", sa.Date(), nullable=True),
        sa.Column("fix_note", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["care_teams.id"],
            name=op.f("fk_care_hazards_team_id_care_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_hazards")),
    )
    op.create_index("ix_care_hazards_team", "care_hazards", ["team_id", "found_on"], unique=False)
    op.create_table(
        "care_team_communities",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("community_code", REGION, nullable=False),
        sa.ForeignKeyConstraint(
            ["community_code"],
            ["regions.code"],
            name=op.f("fk_care_team_communities_community_code_regions"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["care_teams.id"],
            name=op.f("fk_care_team_communities_team_id_care_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("team_id", "community_code", name=op.f("pk_care_team_communities")),
    )
    op.create_index(
        "ix_care_team_communities_code", "care_team_communities", ["community_code"], unique=False
    )
    op.create_table(
        "care_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("community_code", REGION, nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["care_teams.id"],
            name=op.f("fk_care_visits_team_id_care_teams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_visits")),
    )
    op.create_index("ix_care_visits_team", "care_visits", ["team_id", "visited_on"], unique=False)
    op.create_table(
        "care_needs",
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("bedridden", sa.Boolean(), nullable=False),
        sa.Column("dialysis", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_care_needs_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_care_needs")),
    )
    op.create_index(
        "ix_care_needs_region", "care_needs", ["region_code", "person_id"], unique=False
    )
    op.create_table(
        "care_volunteers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=True),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("skills", fangkong.models.base.JSONType, nullable=False),
        sa.Column("areas", fangkong.models.base.JSONType, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_care_volunteers_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_care_volunteers_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_volunteers")),
    )
    op.create_index("ix_care_volunteers_person", "care_volunteers", ["person_id"], unique=True)
    op.create_index(
        "ix_care_volunteers_region", "care_volunteers", ["region_code", "id"], unique=False
    )
    op.create_table(
        "care_pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("ended_at", UTC, nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_care_pairings_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["care_volunteers.id"],
            name=op.f("fk_care_pairings_volunteer_id_care_volunteers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_pairings")),
    )
    op.create_index(
        "ix_care_pairings_active_person",
        "care_pairings",
        ["person_id"],
        unique=True,
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.create_index("ix_care_pairings_region", "care_pairings", ["region_code", "id"], unique=False)
    op.create_index("ix_care_pairings_volunteer", "care_pairings", ["volunteer_id"], unique=False)
    op.create_table(
        "care_requests",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("region_code", REGION, nullable=False),
        sa.Column("community_code", REGION, nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("zone_kind", sa.String(length=12), nullable=True),
        sa.Column("pairing_id", sa.Integer(), nullable=True),
        sa.Column("volunteer_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("assigned_at", UTC, nullable=True),
        sa.Column("started_at", UTC, nullable=True),
        sa.Column("done_at", UTC, nullable=True),
        sa.Column("outcome", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["care_pairings.id"],
            name=op.f("fk_care_requests_pairing_id_care_pairings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_care_requests_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["care_volunteers.id"],
            name=op.f("fk_care_requests_volunteer_id_care_volunteers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["zones.id"],
            name=op.f("fk_care_requests_zone_id_zones"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_requests")),
    )
    op.create_index("ix_care_requests_pairing", "care_requests", ["pairing_id"], unique=False)
    op.create_index("ix_care_requests_person", "care_requests", ["person_id"], unique=False)
    op.create_index(
        "ix_care_requests_region", "care_requests", ["region_code", "priority", "id"], unique=False
    )
    op.create_index(
        "ix_care_requests_status_due", "care_requests", ["status", "due_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_care_requests_status_due", table_name="care_requests")
    op.drop_index("ix_care_requests_region", table_name="care_requests")
    op.drop_index("ix_care_requests_person", table_name="care_requests")
    op.drop_index("ix_care_requests_pairing", table_name="care_requests")
    op.drop_table("care_requests")
    op.drop_index("ix_care_pairings_volunteer", table_name="care_pairings")
    op.drop_index("ix_care_pairings_region", table_name="care_pairings")
    op.drop_index(
        "ix_care_pairings_active_person",
        table_name="care_pairings",
        sqlite_where=sa.text("active"),
        postgresql_where=sa.text("active"),
    )
    op.drop_table("care_pairings")
    op.drop_index("ix_care_volunteers_region", table_name="care_volunteers")
    op.drop_index("ix_care_volunteers_person", table_name="care_volunteers")
    op.drop_table("care_volunteers")
    op.drop_index("ix_care_needs_region", table_name="care_needs")
    op.drop_table("care_needs")
    op.drop_index("ix_care_visits_team", table_name="care_visits")
    op.drop_table("care_visits")
    op.drop_index("ix_care_team_communities_code", table_name="care_team_communities")
    op.drop_table("care_team_communities")
    op.drop_index("ix_care_hazards_team", table_name="care_hazards")
    op.drop_table("care_hazards")
    op.drop_index("ix_care_teams_region", table_name="care_teams")
    op.drop_table("care_teams")
