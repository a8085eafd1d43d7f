"""care (issue 11): escalation of overdue requests; citizens' own requests

``care_requests`` gains ``escalated_at`` (set once by the ``care.escalate`` job when an open
request is past its deadline) with an index for the escalated filter and count, and
``by_citizen`` (asked by the resident from their own citizen page).

Revision ID: 0022_care_escalation
Revises: 0021_sentinel_followups
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0022_care_escalation"
down_revision = "0021_sentinel_followups"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("care_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("by_citizen", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("escalated_at", UTC, nullable=True))
    op.create_index("ix_care_requests_escalated", "care_requests", ["escalated_at"])


def downgrade() -> None:
    op.drop_index("ix_care_requests_escalated", table_name="care_requests")
    with op.batch_alter_table("care_requests", schema=None) as batch_op:
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("by_citizen")
