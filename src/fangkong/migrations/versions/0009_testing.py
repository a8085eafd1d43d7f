"""testing tables (issue 7): sampling sites, labs, campaigns, tubes, members, results, tasks,
antigen reports

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tubes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("barcode", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column(
            "region_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("sampler_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("opened_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sampled_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sealed_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lab_id", sa.Integer(), nullable=True),
        sa.Column("received_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result", sa.String(length=10), nullable=True),
        sa.Column("ct_orf1ab", sa.Float(), nullable=True),
        sa.Column("ct_n", sa.Float(), nullable=True),
        sa.Column("tested_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resulted_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tubes")),
        sa.UniqueConstraint("barcode", name=op.f("uq_tubes_barcode")),
    )
    with op.batch_alter_table("tubes", schema=None) as batch_op:
        batch_op.create_index("ix_tubes_campaign_id", ["campaign_id", "status"], unique=False)
        batch_op.create_index("ix_tubes_lab_id", ["lab_id", "resulted_at"], unique=False)
        batch_op.create_index("ix_tubes_region_code", ["region_code", "id"], unique=False)
        batch_op.create_index("ix_tubes_status", ["status", "opened_at"], unique=False)

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "region_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("target_population", sa.Integer(), nullable=False),
        sa.Column(
            "missed_marked_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_campaigns_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index("ix_campaigns_region_code", ["region_code", "id"], unique=False)

    op.create_table(
        "labs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "region_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("tubes_per_hour", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_labs_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labs")),
        sa.UniqueConstraint("name", name=op.f("uq_labs_name")),
    )
    with op.batch_alter_table("labs", schema=None) as batch_op:
        batch_op.create_index("ix_labs_region_code", ["region_code", "id"], unique=False)

    op.create_table(
        "sampling_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "region_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("opens_at", sa.String(length=5), nullable=False),
        sa.Column("closes_at", sa.String(length=5), nullable=False),
        sa.Column("capacity_per_hour", sa.Integer(), nullable=False),
        sa.Column("queue_status", sa.String(length=8), nullable=False),
        sa.Column("queue_length", sa.Integer(), nullable=False),
        sa.Column(
            "queue_updated_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_sampling_sites_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sampling_sites")),
    )
    with op.batch_alter_table("sampling_sites", schema=None) as batch_op:
        batch_op.create_index("ix_sampling_sites_region_code", ["region_code", "id"], unique=False)
        batch_op.create_index("ix_sampling_sites_region_name", ["region_code", "name"], unique=True)

    op.create_table(
        "tube_results",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("tube_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lab_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("ct_orf1ab", sa.Float(), nullable=True),
        sa.Column("ct_n", sa.Float(), nullable=True),
        sa.Column("tested_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("upload_ref", sa.String(length=64), nullable=True),
        sa.Column("received_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tube_id"],
            ["tubes.id"],
            name=op.f("fk_tube_results_tube_id_tubes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tube_results")),
    )
    with op.batch_alter_table("tube_results", schema=None) as batch_op:
        batch_op.create_index("ix_tube_results_outcome", ["outcome", "id"], unique=False)
        batch_op.create_index("ix_tube_results_lab_received", ["lab_id", "received_at"])
        batch_op.create_index("ix_tube_results_tube_id", ["tube_id", "id"], unique=False)

    op.create_table(
        "campaign_regions",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column(
            "region_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_regions_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_campaign_regions_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("campaign_id", "region_code", name=op.f("pk_campaign_regions")),
    )
    op.create_table(
        "lab_members",
        sa.Column("lab_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lab_id"], ["labs.id"], name=op.f("fk_lab_members_lab_id_labs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_lab_members_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lab_id", "user_id", name=op.f("pk_lab_members")),
    )
    with op.batch_alter_table("lab_members", schema=None) as batch_op:
        batch_op.create_index("ix_lab_members_user_id", ["user_id", "lab_id"], unique=False)

    op.create_table(
        "antigen_reports",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("tested_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("photo_type", sa.String(length=32), nullable=True),
        sa.Column(
            "region_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_antigen_reports_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_antigen_reports")),
    )
    with op.batch_alter_table("antigen_reports", schema=None) as batch_op:
        batch_op.create_index("ix_antigen_reports_person_id", ["person_id", "id"], unique=False)
        batch_op.create_index("ix_antigen_reports_region_code", ["region_code", "id"], unique=False)

    op.create_table(
        "test_tasks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_ref", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "done_tube_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("result", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_test_tasks_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_test_tasks")),
        sa.UniqueConstraint("person_id", "kind", "source_ref", name="uq_test_tasks_source"),
    )
    with op.batch_alter_table("test_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_test_tasks_status", ["status", "id"], unique=False)

    op.create_table(
        "tube_members",
        sa.Column("tube_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column(
            "grid_code",
            sa.String(length=15).with_variant(sa.String(length=15, collation="C"), "postgresql"),
            nullable=True,
        ),
        sa.Column("sampled_at", fangkong.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_tube_members_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tube_id"],
            ["tubes.id"],
            name=op.f("fk_tube_members_tube_id_tubes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tube_id", "person_id", name=op.f("pk_tube_members")),
        sa.UniqueConstraint("campaign_id", "person_id", name="uq_tube_members_round"),
    )
    with op.batch_alter_table("tube_members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tube_members_campaign_grid", ["campaign_id", "grid_code"], unique=False
        )
        batch_op.create_index(
            "ix_tube_members_person_id", ["person_id", "sampled_at"], unique=False
        )
    # A lab's upload writes every member's latest negative at once; the foreign key's check
    # per row was more than half of that (models.healthcode.NatNegative says why it can go).
    with op.batch_alter_table("nat_negatives", schema=None) as batch_op:
        batch_op.drop_constraint("fk_nat_negatives_person_id_people", type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("nat_negatives", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_nat_negatives_person_id_people", "people", ["person_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("tube_members", schema=None) as batch_op:
        batch_op.drop_index("ix_tube_members_person_id")
        batch_op.drop_index("ix_tube_members_campaign_grid")

    op.drop_table("tube_members")
    with op.batch_alter_table("test_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_test_tasks_status")

    op.drop_table("test_tasks")
    with op.batch_alter_table("antigen_reports", schema=None) as batch_op:
        batch_op.drop_index("ix_antigen_reports_region_code")
        batch_op.drop_index("ix_antigen_reports_person_id")

    op.drop_table("antigen_reports")
    with op.batch_alter_table("lab_members", schema=None) as batch_op:
        batch_op.drop_index("ix_lab_members_user_id")

    op.drop_table("lab_members")
    op.drop_table("campaign_regions")
    with op.batch_alter_table("tube_results", schema=None) as batch_op:
        batch_op.drop_index("ix_tube_results_tube_id")
        batch_op.drop_index("ix_tube_results_outcome")
        batch_op.drop_index("ix_tube_results_lab_received")

    op.drop_table("tube_results")
    with op.batch_alter_table("sampling_sites", schema=None) as batch_op:
        batch_op.drop_index("ix_sampling_sites_region_name")
        batch_op.drop_index("ix_sampling_sites_region_code")

    op.drop_table("sampling_sites")
    with op.batch_alter_table("labs", schema=None) as batch_op:
        batch_op.drop_index("ix_labs_region_code")

    op.drop_table("labs")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index("ix_campaigns_region_code")

    op.drop_table("campaigns")
    with op.batch_alter_table("tubes", schema=None) as batch_op:
        batch_op.drop_index("ix_tubes_status")
        batch_op.drop_index("ix_tubes_region_code")
        batch_op.drop_index("ix_tubes_lab_id")
        batch_op.drop_index("ix_tubes_campaign_id")

    op.drop_table("tubes")
