"""healthcode tables (issue 6): facts, codes and their history, manual changes, appeals,
latest negative NATs, the sweep's last day

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import fangkong.models.base

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime


def _big() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _person(table: str) -> list[Any]:
    return [
        sa.Column("person_id", _big(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f(f"fk_{table}_person_id_people"),
            ondelete="CASCADE",
        ),
    ]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "health_code_sweeps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("ran_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_code_sweeps")),
    )
    op.create_table(
        "health_facts",
        sa.Column("id", _big(), nullable=False),
        *_person("health_facts"),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("ref", sa.String(length=64), nullable=False),
        sa.Column("started_at", UTC(timezone=True), nullable=False),
        sa.Column("until", UTC(timezone=True), nullable=True),
        sa.Column("ended_at", UTC(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_facts")),
    )
    op.create_index("ix_health_facts_person_id", "health_facts", ["person_id", "ended_at"])
    op.create_index("ix_health_facts_until", "health_facts", ["until"])
    op.create_table(
        "health_codes",
        *_person("health_codes"),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("edition_id", sa.String(length=64), nullable=False),
        sa.Column("computed_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_health_codes")),
    )
    op.create_index("ix_health_codes_colour", "health_codes", ["colour", "person_id"])
    op.create_index("ix_health_codes_edition_id", "health_codes", ["edition_id"])
    op.create_table(
        "health_code_history",
        sa.Column("id", _big(), nullable=False),
        *_person("health_code_history"),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column("reasons", _json(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("edition_id", sa.String(length=64), nullable=False),
        sa.Column("cause", sa.String(length=32), nullable=False),
        sa.Column("changed_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_code_history")),
    )
    op.create_index("ix_health_code_history_person_id", "health_code_history", ["person_id", "id"])
    op.create_table(
        "code_change_requests",
        sa.Column("id", _big(), nullable=False),
        *_person("code_change_requests"),
        sa.Column("colour", sa.String(length=8), nullable=False),
        sa.Column("reason_text", sa.String(length=500), nullable=False),
        sa.Column("until", UTC(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("appeal_id", _big(), nullable=True),
        sa.Column("proposed_by", sa.Integer(), nullable=True),
        sa.Column("proposed_by_name", sa.String(length=64), nullable=False),
        sa.Column("proposed_at", UTC(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=64), nullable=True),
        sa.Column("decided_at", UTC(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.Column("ended_at", UTC(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_change_requests")),
    )
    op.create_index(
        "ix_code_change_requests_person_id", "code_change_requests", ["person_id", "status"]
    )
    op.create_index("ix_code_change_requests_status", "code_change_requests", ["status", "id"])
    op.create_table(
        "code_appeals",
        sa.Column("id", _big(), nullable=False),
        *_person("code_appeals"),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_at", UTC(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=64), nullable=True),
        sa.Column("decided_at", UTC(timezone=True), nullable=True),
        sa.Column("decision_text", sa.String(length=1000), nullable=True),
        sa.Column("ended_fact_id", _big(), nullable=True),
        sa.Column("change_request_id", _big(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code_appeals")),
    )
    op.create_index("ix_code_appeals_person_id", "code_appeals", ["person_id", "id"])
    op.create_index("ix_code_appeals_status", "code_appeals", ["status", "id"])
    op.create_table(
        "nat_negatives",
        *_person("nat_negatives"),
        sa.Column("sampled_at", UTC(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("recorded_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_nat_negatives")),
    )


def downgrade() -> None:
    for table in (
        "nat_negatives",
        "code_appeals",
        "code_change_requests",
        "health_code_history",
        "health_codes",
        "health_facts",
        "health_code_sweeps",
    ):
        op.drop_table(table)
