"""What a day's visits cost SQLite to put into ``scans``, by page cache, statement and index
(issues 6 and 10: the bulk ingest and the fed outbreak wait on this insert). Never asserts
a time.

    .venv/bin/python bench/scan_indexes.py [--database-url URL] [--rows 870000]
        [--placement next-day|spread] [--rounds 2] [--no-append]

It needs the scan world (``bench/scan_world.py``: 30,000,000 scans over 28 days). It copies
``--rows`` of the world's scans into a temporary source, in the visit key's order (as the
ingest moves them), with their instants moved so that none collides with a stored visit:

- ``next-day``: the world's last ``--rows`` scans, one day later (the fed outbreak's case:
  each day's visits are newer than every stored one);
- ``spread``: every k-th scan of the world, one second later (a file of offline scans from
  the whole window: the case of ``bench/scan_ingest.py``).

Then each variant runs the ``INSERT … SELECT`` of the source into ``scans`` in a transaction
of its own, rolled back afterwards (so the commit's write of the changed pages is not in
these figures; ``bench/scan_ingest.py`` has it). Variants: the ingest's statement before
and now (``ON CONFLICT DO NOTHING`` or ``INSERT OR IGNORE``), each with the 64 MB page cache
the ingest had and the one it has now (``SQLITE_MOVE_CACHE_KIB``); and today's, without each
secondary index (dropped inside the transaction). Dropping an index inside the transaction
changes pages of its own (the freed pages go on the free list, and the insert then reuses
them), so a "without" variant bounds what the rest costs; it is no exact price of the index
it drops. Reported: the
median wall time over ``--rounds`` (the variants alternate, after one untimed warm-up), the
process's CPU time, and what it wrote to files meanwhile (the log's spilled pages and the
statement journal). The engine is the platform's (``fangkong.db.make_engine``: its pragmas
and memory-mapped file). Nothing of the database is changed.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

import cpu
import report
import scan_world
from fangkong.db import make_engine
from fangkong.scans import repository

OUT = Path(__file__).with_name("BENCHMARKS.md")
BEFORE_CACHE_KIB = 64 * 1024  # the ingest's page cache until 2026-12-04
# The visit key (uq_scans_visit) is a constraint of the table on SQLite, not a droppable index.
SECONDARY = ("ix_scans_person_day", "ix_scans_region_id")
COLUMNS = ", ".join(repository.COLUMNS)  # the ingest's columns, as it inserts them
STATEMENTS = {
    "DO NOTHING": f"INSERT INTO scans ({COLUMNS}) SELECT {COLUMNS} FROM bench_source "
                  f"WHERE true ON CONFLICT ({', '.join(repository.UNIQUE_KEY)}) DO NOTHING",
    "OR IGNORE": f"INSERT OR IGNORE INTO scans ({COLUMNS}) SELECT {COLUMNS} FROM bench_source",
}  # fmt: skip


@dataclass(frozen=True)
class Variant:
    name: str
    statement: str
    cache_kib: int
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    written_mb: float


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    scan_world.add_world_args(parser)
    parser.add_argument("--rows", type=int, default=870_000)
    parser.add_argument("--placement", choices=("next-day", "spread"), default="next-day")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


def variants() -> list[Variant]:
    before, now = BEFORE_CACHE_KIB, repository.SQLITE_MOVE_CACHE_KIB
    found = [
        Variant("before: 64 MB, DO NOTHING", "DO NOTHING", before),
        Variant("64 MB, OR IGNORE", "OR IGNORE", before),
        Variant(f"{now // 1024} MB, DO NOTHING", "DO NOTHING", now),
        Variant(f"now: {now // 1024} MB, OR IGNORE", "OR IGNORE", now),
    ]
    found += [Variant(f"now, without {name}", "OR IGNORE", now, (name,)) for name in SECONDARY]
    found.append(Variant("now, visit key alone", "OR IGNORE", now, SECONDARY))
    return found


def _source(connection: Connection, rows: int, placement: str) -> int:
    total = int(connection.execute(text("SELECT max(id) FROM scans")).scalar_one())
    shift = "+1 day" if placement == "next-day" else "+1 second"
    moved = f"strftime('%Y-%m-%d %H:%M:%S', scanned_at, '{shift}') || substr(scanned_at, 20)"
    every = max(total // rows, 1)
    where = f"id > {total - rows}" if placement == "next-day" else f"id % {every} = 0"
    columns = COLUMNS.replace("scanned_at", f"{moved} AS scanned_at")
    connection.execute(
        text(
            f"CREATE TEMP TABLE bench_source AS SELECT {columns} FROM scans WHERE {where} "
            "ORDER BY venue_id, scanned_at, person_id LIMIT :rows"
        ),
        {"rows": rows},
    )
    return int(connection.execute(text("SELECT count(*) FROM bench_source")).scalar_one())


def _timed(connection: Connection, variant: Variant) -> Run:
    """The variant's insert in a transaction of its own, rolled back."""
    transaction = connection.begin()  # BEGIN IMMEDIATE, as the platform's writers take it
    try:
        connection.exec_driver_sql(f"PRAGMA cache_size = -{variant.cache_kib}")
        for name in variant.dropped:
            connection.exec_driver_sql(f'DROP INDEX "{name}"')
        before, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        connection.exec_driver_sql(STATEMENTS[variant.statement])
        seconds, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF)
    finally:
        transaction.rollback()
    cpu_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Run(seconds, cpu_seconds, (after.ru_oublock - before.ru_oublock) * 512 / 1e6)


def measure(url: str, rows: int, placement: str, rounds: int) -> tuple[int, dict[str, Run]]:
    engine = make_engine(url)
    chosen = variants()
    runs: dict[str, list[Run]] = {v.name: [] for v in chosen}
    with engine.connect() as connection:
        with connection.begin():
            count = _source(connection, rows, placement)
        print(f"source: {count:,} rows ({placement})", flush=True)
        now = next(v for v in chosen if v.name.startswith("now:"))
        print(f"warm-up: {_timed(connection, now).seconds:.1f} s", flush=True)
        for round_ in range(rounds):
            for variant in chosen:
                run = _timed(connection, variant)
                runs[variant.name].append(run)
                print(f"  round {round_ + 1}, {variant.name}: {run}", flush=True)
    engine.dispose()
    return count, {name: _median(found) for name, found in runs.items()}


def _median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs),
               statistics.median(r.cpu_seconds for r in runs),
               statistics.median(r.written_mb for r in runs))  # fmt: skip


def main() -> None:
    args = parse_args()
    world = scan_world.build(args)
    if not world.url.startswith("sqlite"):
        raise SystemExit("this benchmark measures SQLite's indexes; PostgreSQL has day partitions")
    cpu.wait_quiet(30)
    own, wall = time.process_time(), time.monotonic()
    with cpu.others_during([]) as others:
        count, medians = measure(world.url, args.rows, args.placement, args.rounds)
    other_cpus = max(0.0, others.cpus - (time.process_time() - own) / (time.monotonic() - wall))
    lines = [f"| {name} | {r.seconds:.1f} | {count / r.seconds:,.0f} | {r.cpu_seconds:.1f} | "
             f"{r.written_mb:,.0f} |" for name, r in medians.items()]  # fmt: skip
    table = ["| variant | seconds | rows/s | CPU seconds | MB written |", "|---|---|---|---|---|",
             *lines]  # fmt: skip
    print("\n".join(table))
    if args.no_append:
        return
    info = report.machine()
    machine = (f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, "
               f"{cpu.reference_text()}. World (`bench/scan_world.py`): {world.people:,} "
               f"people, {world.venues:,} venues, {world.scans:,} scans. Source: {count:,} "
               f"scans ({args.placement}); median of {args.rounds} rounds, each variant in a "
               f"transaction rolled back (the commit's write is not in these figures); other "
               f"processes used {other_cpus:.2f} CPUs meanwhile.")  # fmt: skip
    title = (f"## {info['date']} — scans: a day's insert by page cache, statement and index "
             f"(SQLite), commit {info['commit']}")  # fmt: skip
    report.append(OUT, "\n".join([title, "", machine, "", *table, ""]))


if __name__ == "__main__":
    main()
