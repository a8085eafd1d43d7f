"""The SQL of ``bench/scan_world.py``: venues, scans generated in the database, health codes.

Every row is a pure function of its number, so the same parameters give the same world on
SQLite and on PostgreSQL (``hash_person``, ``hash_venue`` below, in both dialects' SQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, text

if TYPE_CHECKING:
    from scan_world import Manifest

VENUE_TYPES = (
    # (type, weight): many shops and restaurants, a few hospitals and airports.
    ("supermarket", 8), ("market", 4), ("shop", 20), ("restaurant", 20), ("office", 12),
    ("public_transport", 6), ("station_airport", 1), ("hotel", 4), ("entertainment", 6),
    ("school", 5), ("nursery", 3), ("hospital", 2), ("elderly_home", 2), ("other", 7),
)  # fmt: skip
HASH_P = "(({i} * 1103515245 + 12345) % 2147483647)"
HASH_V1 = "(({i} * 2654435761) % 4294967291)"
HASH_V2 = "(({i} * 805459861 + 7) % 4294967279)"


@dataclass(frozen=True, slots=True)
class Bounds:
    person_min: int
    people: int
    venue_min: int
    venues: int


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def fill_venues(engine: Engine, venues: int) -> None:
    """``venues`` rows spread over the grids (and so over every district), typed by weight."""
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.models.venue import Venue  # noqa: PLC0415

    types = [name for name, weight in VENUE_TYPES for _ in range(weight)]
    now = clock.now()
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM venues"))
        grids = [
            row[0]
            for row in connection.execute(
                text("SELECT code FROM regions WHERE level = 'grid' ORDER BY code")
            )
        ]
        rows: list[dict[str, Any]] = [
            {
                "id": n,
                "name": f"场所{n:05d}",
                "type": types[(n * 7919) % len(types)],
                "region_code": grids[(n * 104729) % len(grids)],
                "address": f"测试路{n % 900 + 1}号",
                "active": True,
                "place_code_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(1, venues + 1)
        ]
        connection.execute(insert(Venue.__table__), rows)
        _sync_sequence(engine, connection, "venues")


def _sync_sequence(engine: Engine, connection: Any, table: str) -> None:
    """After explicit ids, PostgreSQL's sequence must start past them (SQLite needs nothing)."""
    if not is_sqlite(engine):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        )


def id_bounds(engine: Engine) -> Bounds:
    with engine.connect() as connection:
        p_min, p_max, p_n = connection.execute(
            text("SELECT min(id), max(id), count(*) FROM people")
        ).one()
        v_min, v_max, v_n = connection.execute(
            text("SELECT min(id), max(id), count(*) FROM venues")
        ).one()
    if p_max - p_min + 1 != p_n or v_max - v_min + 1 != v_n:
        raise RuntimeError("people or venue ids are not contiguous: build a fresh world")
    return Bounds(p_min, p_n, v_min, v_n)


def last_scan_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT coalesce(max(id), 0) FROM scans")).scalar_one())


def empty_scans(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM scans"))


def ensure_partitions(engine: Engine, first: datetime, last: datetime) -> int:
    """PostgreSQL: the day partitions of the world's days (the migration makes only the days
    from today on); SQLite: nothing. How many were made."""
    from fangkong.core import clock, partitions  # noqa: PLC0415

    with engine.begin() as connection:
        return partitions.ensure_days(connection, "scans", "scanned_at",
                                      first.astimezone(clock.LOCAL_TZ).date(),
                                      last.astimezone(clock.LOCAL_TZ).date())  # fmt: skip


def drop_scan_indexes(engine: Engine) -> list[str]:
    """Drop the secondary indexes (and on PostgreSQL the unique constraint); their DDL."""
    with engine.begin() as connection:
        if is_sqlite(engine):
            found = connection.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                    "AND tbl_name = 'scans' AND sql IS NOT NULL"
                )
            ).all()
            for name, _sql in found:
                connection.execute(text(f'DROP INDEX "{name}"'))
            return [sql for _name, sql in found]
        constraints = connection.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'scans'::regclass AND contype = 'u'"
            )
        ).all()
        ddl = [f'ALTER TABLE scans ADD CONSTRAINT "{n}" {d}' for n, d in constraints]
        for name, _def in constraints:
            connection.execute(text(f'ALTER TABLE scans DROP CONSTRAINT "{name}"'))
        indexes = connection.execute(
            text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'scans' "
                "AND indexname <> 'pk_scans'"
            )
        ).all()
        for name, _def in indexes:
            connection.execute(text(f'DROP INDEX "{name}"'))
        return ddl + [definition for _name, definition in indexes]


def create_scan_indexes(engine: Engine, ddl: list[str]) -> None:
    with engine.begin() as connection:
        if not is_sqlite(engine):
            connection.execute(text("SET maintenance_work_mem = '1GB'"))
            connection.execute(text("SET max_parallel_maintenance_workers = 2"))
        else:
            connection.execute(text("PRAGMA cache_size = -4000000"))
        for statement in ddl:
            # A partitioned table's index reads back as "ON ONLY" (the parent alone).
            statement = statement.replace(" ON ONLY ", " ON ")  # noqa: PLW2901
            print(f"    {statement[:90]}", flush=True)
            connection.execute(text(statement))


def analyze(engine: Engine) -> None:
    with engine.begin() as connection:
        _sync_sequence(engine, connection, "scans")
    if is_sqlite(engine):
        with engine.begin() as connection:
            connection.execute(text("PRAGMA analysis_limit = 2000"))
            connection.execute(text("ANALYZE"))
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE scans"))


def _scan_select(engine: Engine, m: Manifest, b: Bounds) -> tuple[str, str]:
    """(row source, timestamp expression) of scan ``i`` for the engine's dialect."""
    start = m.start_at.astimezone(UTC)
    if is_sqlite(engine):
        source = "WITH RECURSIVE n(i) AS (SELECT :lo UNION ALL SELECT i + 1 FROM n WHERE i < :hi) "
        epoch = int(start.timestamp())
        stamp = (
            f"strftime('%Y-%m-%d %H:%M:%S', {epoch} + (g.i * {m.step_us}) / 1000000, "
            f"'unixepoch') || '.' || printf('%06d', (g.i * {m.step_us}) % 1000000)"
        )
        return source, stamp
    stamp = f"(timestamptz '{start.isoformat()}' + (g.i * {m.step_us}) * interval '1 microsecond')"
    return "", stamp


def fill_scans(engine: Engine, m: Manifest, b: Bounds, lo: int, hi: int) -> None:
    """Scans ``lo..hi`` (inclusive), one statement, one transaction."""
    source, stamp = _scan_select(engine, m, b)
    v1, v2 = HASH_V1.format(i="i") + f" % {b.venues}", HASH_V2.format(i="i") + f" % {b.venues}"
    rows = (
        "n"
        if is_sqlite(engine)
        else "generate_series(CAST(:lo AS bigint), CAST(:hi AS bigint)) AS n(i)"
    )
    yes, no = ("1", "0") if is_sqlite(engine) else ("true", "false")
    reasons_ok, reasons_no = (
        ("'[]'", "'[\"entry.code_not_green\"]'")
        if is_sqlite(engine)
        else ("'[]'::json", "'[\"entry.code_not_green\"]'::json")
    )
    sql = f"""{source}
INSERT INTO scans (id, venue_id, person_id, region_code, scanned_at, temperature, mask,
                   decision, colour, reasons, override, source, device, batch, created_at)
SELECT g.i, v.id, g.p, v.region_code, {stamp}, 36.0 + (g.i % 13) / 10.0,
       CASE WHEN g.i % 10 = 0 THEN {no} ELSE {yes} END,
       CASE WHEN g.i % 50 = 0 THEN 'deny' ELSE 'allow' END,
       CASE WHEN g.i % 50 = 0 THEN 'yellow' ELSE 'green' END,
       CASE WHEN g.i % 50 = 0 THEN {reasons_no} ELSE {reasons_ok} END,
       {no}, CASE WHEN g.i % 3 = 0 THEN 'door' ELSE 'checkin' END,
       CASE WHEN g.i % 3 = 0 THEN 'door-' || v.id ELSE NULL END, NULL, {stamp}
FROM (SELECT i, {b.venue_min} + ({v1}) * ({v2}) / {b.venues} AS v,
             {b.person_min} + {HASH_P.format(i="i")} % {b.people} AS p
      FROM {rows}) AS g
JOIN venues v ON v.id = g.v
"""
    with engine.begin() as connection:
        if is_sqlite(engine):
            connection.execute(text("PRAGMA synchronous = OFF"))
            connection.execute(text("PRAGMA cache_size = -10000000"))
        else:
            connection.execute(text("SET LOCAL synchronous_commit = off"))
        connection.execute(text(sql), {"lo": lo, "hi": hi})


def fill_health_codes(engine: Engine) -> None:
    """A code for everyone (2 % yellow, 0.5 % red) and a recent negative test for 90 %."""
    from fangkong.config import Settings  # noqa: PLC0415

    edition = _edition_id(engine, Settings().policy)
    now = datetime.now(UTC).replace(microsecond=0)
    plain = "'" + now.strftime("%Y-%m-%d %H:%M:%S") + "'"
    ts, no, js = (
        ("'" + now.strftime("%Y-%m-%d %H:%M:%S") + ".000000'", "0", "")
        if is_sqlite(engine)
        else (f"timestamptz '{now.isoformat()}'", "false", "::jsonb")
    )
    colour = "CASE WHEN id % 200 = 7 THEN 'red' WHEN id % 50 = 3 THEN 'yellow' ELSE 'green' END"
    reasons = (
        f"CASE WHEN id % 200 = 7 THEN '[\"case.positive\"]'{js} "
        f"WHEN id % 50 = 3 THEN '[\"contact.secondary\"]'{js} ELSE '[]'{js} END"
    )
    hours_ago = (
        f"datetime({plain}, '-' || (id % 20) || ' hours')"
        if is_sqlite(engine)
        else f"{ts} - (id % 20) * interval '1 hour'"
    )
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM health_codes"))
        connection.execute(
            text(
                "INSERT INTO health_codes (person_id, colour, reasons, manual, edition_id, "
                f"computed_at) SELECT id, {colour}, {reasons}, {no}, :edition, {ts} FROM people"
            ),
            {"edition": edition},
        )
        connection.execute(text("DELETE FROM nat_negatives"))
        stamp = (
            f"strftime('%Y-%m-%d %H:%M:%S', {hours_ago}) || '.000000'"
            if is_sqlite(engine)
            else hours_ago
        )
        connection.execute(
            text(
                "INSERT INTO nat_negatives (person_id, sampled_at, source, recorded_at) "
                f"SELECT id, {stamp}, 'bench', {ts} FROM people WHERE id % 10 <> 0"
            )
        )


def _edition_id(engine: Engine, default: str) -> str:
    with engine.connect() as connection:
        found = connection.execute(text("SELECT edition_id FROM policy_state")).scalar()
    return str(found or default)
