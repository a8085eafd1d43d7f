"""citizens tables (issue 6): one-time codes, citizen sessions, used personal-code nonces

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)


def _big_id() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "citizen_otps",
        sa.Column("id", _big_id(), nullable=False),
        sa.Column("phone_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", _big_id(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_citizen_otps_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_otps")),
    )
    op.create_index("ix_citizen_otps_phone_hash", "citizen_otps", ["phone_hash", "id"])
    op.create_index("ix_citizen_otps_person_id", "citizen_otps", ["person_id"])
    op.create_table(
        "citizen_sessions",
        sa.Column("id", _big_id(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", _big_id(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_citizen_sessions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_citizen_sessions_token_hash")),
    )
    op.create_index("ix_citizen_sessions_person_id", "citizen_sessions", ["person_id"])
    op.create_table(
        "code_nonces",
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("nonce", name=op.f("pk_code_nonces")),
    )
    op.create_index("ix_code_nonces_expires_at", "code_nonces", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_code_nonces_expires_at", table_name="code_nonces")
    op.drop_table("code_nonces")
    op.drop_index("ix_citizen_sessions_person_id", table_name="citizen_sessions")
    op.drop_table("citizen_sessions")
    op.drop_index("ix_citizen_otps_person_id", table_name="citizen_otps")
    op.drop_index("ix_citizen_otps_phone_hash", table_name="citizen_otps")
    op.drop_table("citizen_otps")
