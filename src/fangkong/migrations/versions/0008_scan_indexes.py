"""scans: one index for visits and companions, scoped lists by (region, id); on PostgreSQL
range-partitioned by local day (issue 6)

Both databases: the unique visit key becomes (venue, instant, person), the columns of the
companions index ``ix_scans_venue_time``, which it replaces; ``ix_scans_region_time`` becomes
``ix_scans_region_id``, the order the scoped lists page in. Two fewer random-key indexes to
keep up for every inserted scan.

PostgreSQL: ``scans`` becomes a table partitioned by Asia/Shanghai day
(``fangkong.core.partitions``): a partition per day from the oldest stored scan's day (at
most ``MAX_BACK_DAYS`` back) to ``AHEAD_DAYS`` after today, and a default one. A partitioned
table's primary key and unique keys must hold the partition column: the primary key becomes
(id, scanned_at); ids still come from the one sequence, so they stay unique. The rows are
copied over (once, at upgrade; a large table takes a while, with ``scans`` locked).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from datetime import timedelta

from alembic import op
from sqlalchemy import text

from fangkong.core import clock, partitions

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

AHEAD_DAYS = 7  # as fangkong.scans.jobs.AHEAD_DAYS (a migration keeps its own constants)
# Day partitions for stored scans at most this far back (the scans window is 28 days by
# default); older ones go to the default partition, which retention empties row by row.
MAX_BACK_DAYS = 31
_COLUMNS = (
    "id, venue_id, person_id, region_code, scanned_at, temperature, mask, decision, colour, "
    "reasons, override, source, device, batch, created_at"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _partition()
        return
    with op.batch_alter_table("scans") as batch:
        batch.drop_index("ix_scans_venue_time")
        batch.drop_index("ix_scans_region_time")
        batch.drop_constraint("uq_scans_visit", type_="unique")
        batch.create_unique_constraint("uq_scans_visit", ["venue_id", "scanned_at", "person_id"])
        batch.create_index("ix_scans_region_id", ["region_code", "id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _unpartition()
        return
    with op.batch_alter_table("scans") as batch:
        batch.drop_index("ix_scans_region_id")
        batch.drop_constraint("uq_scans_visit", type_="unique")
        batch.create_unique_constraint("uq_scans_visit", ["venue_id", "person_id", "scanned_at"])
        batch.create_index("ix_scans_region_time", ["region_code", "scanned_at"])
        batch.create_index("ix_scans_venue_time", ["venue_id", "scanned_at", "person_id"])


def _partition() -> None:
    run = op.execute
    run("ALTER TABLE scans RENAME TO scans_unpartitioned")
    run("ALTER TABLE scans_unpartitioned DROP CONSTRAINT uq_scans_visit")
    run("ALTER TABLE scans_unpartitioned RENAME CONSTRAINT pk_scans TO pk_scans_unpartitioned")
    for name in ("ix_scans_person", "ix_scans_venue_time", "ix_scans_region_time"):
        run(f"DROP INDEX {name}")
    run(f"CREATE SCHEMA IF NOT EXISTS {partitions.SCHEMA}")
    run(
        "CREATE TABLE scans (LIKE scans_unpartitioned INCLUDING DEFAULTS) "
        "PARTITION BY RANGE (scanned_at)"
    )
    run("ALTER TABLE scans ADD CONSTRAINT pk_scans PRIMARY KEY (id, scanned_at)")
    run("ALTER TABLE scans ADD CONSTRAINT uq_scans_visit UNIQUE (venue_id, scanned_at, person_id)")
    run("CREATE INDEX ix_scans_person ON scans (person_id, scanned_at)")
    run("CREATE INDEX ix_scans_region_id ON scans (region_code, id)")
    run(f"CREATE TABLE {partitions.SCHEMA}.scans_default PARTITION OF scans DEFAULT")
    connection = op.get_bind()
    today = clock.local_today()
    oldest = connection.execute(text("SELECT min(scanned_at) FROM scans_unpartitioned")).scalar()
    first = today if oldest is None else oldest.astimezone(clock.LOCAL_TZ).date()
    first = min(max(first, today - timedelta(days=MAX_BACK_DAYS)), today)
    partitions.ensure_days(connection, "scans", "scanned_at", first,
                           today + timedelta(days=AHEAD_DAYS))  # fmt: skip
    run(f"INSERT INTO scans ({_COLUMNS}) SELECT {_COLUMNS} FROM scans_unpartitioned")  # noqa: S608
    run("ALTER SEQUENCE scans_id_seq OWNED BY scans.id")
    run("DROP TABLE scans_unpartitioned")


def _unpartition() -> None:
    run = op.execute
    run("CREATE TABLE scans_flat (LIKE scans INCLUDING DEFAULTS)")
    run(f"INSERT INTO scans_flat ({_COLUMNS}) SELECT {_COLUMNS} FROM scans")  # noqa: S608
    run("ALTER SEQUENCE scans_id_seq OWNED BY scans_flat.id")
    run("DROP TABLE scans")
    run(f"DROP SCHEMA IF EXISTS {partitions.SCHEMA}")
    run("ALTER TABLE scans_flat RENAME TO scans")
    run("ALTER TABLE scans ADD CONSTRAINT pk_scans PRIMARY KEY (id)")
    run("ALTER TABLE scans ADD CONSTRAINT uq_scans_visit UNIQUE (venue_id, person_id, scanned_at)")
    run("CREATE INDEX ix_scans_person ON scans (person_id, scanned_at)")
    run("CREATE INDEX ix_scans_venue_time ON scans (venue_id, scanned_at, person_id)")
    run("CREATE INDEX ix_scans_region_time ON scans (region_code, scanned_at)")
