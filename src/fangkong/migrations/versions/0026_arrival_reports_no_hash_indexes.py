"""arrivals: reports no longer indexed by their keyed ID-number and phone hashes

No query reads ``arrival_reports`` by ``id_number_hash`` or ``phone_hash``: a report is found
by its person, its trip, its region and day, or its list and row; the hashes are stored so that
an unmatched report can be tied to a person later, who is then looked up in ``people``. The two
indexes still cost every report written: their keys are random, so each insert lands on a
different page. Inserting a pushed list's 95,817 reports into SQLite took 2.2 s with them and
0.7 s without (``bench/BENCHMARKS.md``, 2026-12-03).

Revision ID: 0026_reports_no_hash_indexes
Revises: 0025_placements_trip_contact
"""

from __future__ import annotations

from alembic import op

revision = "0026_reports_no_hash_indexes"
down_revision = "0025_placements_trip_contact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_arrival_reports_id_hash", table_name="arrival_reports")
    op.drop_index("ix_arrival_reports_phone_hash", table_name="arrival_reports")


def downgrade() -> None:
    op.create_index(
        "ix_arrival_reports_phone_hash", "arrival_reports", ["phone_hash", "arrived_at"]
    )
    op.create_index(
        "ix_arrival_reports_id_hash", "arrival_reports", ["id_number_hash", "arrived_at"]
    )
