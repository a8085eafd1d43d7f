"""arrivals: a task's person is no longer checked against ``people`` on every insert

``arrival_tasks.person_id`` is its trip's person, copied so that a person's tasks are one range
of ``ix_arrival_tasks_person``. The key to ``trips`` (``ON DELETE CASCADE``) already removes a
task with its trip, and the trip with its person, and a merge re-points the three columns
together (``arrivals.intake.handlers.repoint_merged``). The second key to ``people`` guarded
nothing more, but cost every task written a look-up and a row lock in ``people``: inserting a
pushed list's 182,051 tasks on PostgreSQL took 6.9 s with it and 6.0 s without
(``bench/BENCHMARKS.md``, 2026-12-03).

Revision ID: 0027_arrival_tasks_person_no_fk
Revises: 0026_reports_no_hash_indexes
"""

from __future__ import annotations

from alembic import op

revision = "0027_arrival_tasks_person_no_fk"
down_revision = "0026_reports_no_hash_indexes"
branch_labels = None
depends_on = None

KEY = "fk_arrival_tasks_person_id_people"


def upgrade() -> None:
    with op.batch_alter_table("arrival_tasks") as batch:
        batch.drop_constraint(KEY, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("arrival_tasks") as batch:
        batch.create_foreign_key(KEY, "people", ["person_id"], ["id"], ondelete="CASCADE")
