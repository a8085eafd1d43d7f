"""sentinel (issue 11): fever-clinic visitors' follow-ups

The grid worker follows up the visitors of fever clinics as they do four-drug buyers:
``fever_visits`` gains ``contacted_at`` / ``contacted_by`` and an index on the person's grid.

Revision ID: 0021_sentinel_followups
Revises: 0020_care
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import fangkong.models.base

revision = "0021_sentinel_followups"
down_revision = "0020_care"
branch_labels = None
depends_on = None

UTC = fangkong.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("fever_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contacted_at", UTC, nullable=True))
        batch_op.add_column(sa.Column("contacted_by", sa.Integer(), nullable=True))
    op.create_index("ix_fever_visits_grid", "fever_visits", ["grid_code", "id"])


def downgrade() -> None:
    op.drop_index("ix_fever_visits_grid", table_name="fever_visits")
    with op.batch_alter_table("fever_visits", schema=None) as batch_op:
        batch_op.drop_column("contacted_by")
        batch_op.drop_column("contacted_at")
