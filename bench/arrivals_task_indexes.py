"""What each index of ``arrival_tasks`` costs PostgreSQL when a pushed list writes its tasks
(issue 8: the import waits on the server for most of its tasks' insert). Never asserts a time.

    .venv/bin/python bench/arrivals_task_indexes.py [--database-url URL] [--rounds 2]
        [--no-append]

It needs a database holding the tasks of an imported list (``bench/arrivals_import.py``
leaves 182,000 in ``fangkong_bench_arrivals``). Inside one transaction, rolled back at the
end, it copies them into a temporary source, then inserts them into a fresh table of the same
columns: with no index, with the primary key alone, with each secondary index of the model
alone, with all of them, with all of them but unlogged (what the write-ahead log costs) and
with all of them and ``COLLATE "C"`` on ``kind``, ``status`` and ``escalation`` (what the
database's collation costs). The figure of each is the median over ``--rounds`` of the
``INSERT … SELECT`` statement's time as the client sees it (the rows never leave the
server, so it is nearly all the server's work). Nothing of the database is changed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex

import cpu
from fangkong.models.arrivals import ArrivalTask
from report import append

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/fangkong_bench_arrivals"
OUT = Path(__file__).with_name("BENCHMARKS.md")
TEXT_COLUMNS = ("kind", "status", "escalation")


def _index_sql(connection: Connection) -> dict[str, str]:
    """Each secondary index of the model, as DDL over the table ``bench_tasks``."""
    found = {}
    for index in sorted(ArrivalTask.__table__.indexes, key=lambda i: str(i.name)):
        ddl = str(CreateIndex(index).compile(dialect=connection.dialect))
        ddl = ddl.replace("ON arrival_tasks", "ON bench_tasks")
        found[str(index.name)] = ddl.replace(f"INDEX {index.name} ", f"INDEX bench_{index.name} ")
    return found


def _timed(connection: Connection, *, ddl: list[str], unlogged: bool = False,
           collate_c: bool = False) -> float:  # fmt: skip
    kind = "UNLOGGED " if unlogged else ""
    connection.execute(text("DROP TABLE IF EXISTS bench_tasks"))
    connection.execute(
        text(f"CREATE {kind}TABLE bench_tasks (LIKE arrival_tasks INCLUDING DEFAULTS)")
    )
    if collate_c:
        for column in TEXT_COLUMNS:
            retype = f'ALTER COLUMN {column} TYPE varchar COLLATE "C"'
            connection.execute(text(f"ALTER TABLE bench_tasks {retype}"))
    for statement in ddl:
        connection.execute(text(statement))
    started = time.perf_counter()
    connection.execute(text("INSERT INTO bench_tasks SELECT * FROM bench_source"))
    return time.perf_counter() - started


def measure(url: str, rounds: int) -> tuple[int, list[tuple[str, float]]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        connection.execute(
            text("CREATE TEMP TABLE bench_source AS SELECT * FROM arrival_tasks ORDER BY id")
        )
        count = int(connection.execute(text("SELECT count(*) FROM bench_source")).scalar_one())
        if count == 0:
            raise SystemExit("no arrival tasks here: run bench/arrivals_import.py first")
        secondary = _index_sql(connection)
        pk = "ALTER TABLE bench_tasks ADD PRIMARY KEY (id)"
        cases: list[tuple[str, dict[str, object]]] = [
            ("no index", {"ddl": []}),
            ("primary key", {"ddl": [pk]}),
            *((f"primary key + {name}", {"ddl": [pk, sql]}) for name, sql in secondary.items()),
            ("all (the model's)", {"ddl": [pk, *secondary.values()]}),
            ("all, unlogged table", {"ddl": [pk, *secondary.values()], "unlogged": True}),
            ('all, COLLATE "C" text', {"ddl": [pk, *secondary.values()], "collate_c": True}),
        ]
        timings: dict[str, list[float]] = {label: [] for label, _ in cases}
        for _ in range(rounds):
            for label, options in cases:
                timings[label].append(_timed(connection, **options))  # type: ignore[arg-type]
        connection.rollback()
    engine.dispose()
    return count, [(label, statistics.median(values)) for label, values in timings.items()]


def section(count: int, results: list[tuple[str, float]], rounds: int) -> str:
    bare = dict(results)["primary key"]
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — arrival tasks' indexes on PostgreSQL "
        "(bench/arrivals_task_indexes.py)",
        "",
        f"Machine: {cpu.reference_text()}. {count:,} tasks of an imported list inserted by "
        f"`INSERT … SELECT` into a fresh table; median of {rounds} rounds of the statement's time.",
        "",
        "| table | seconds | over the primary key alone |",
        "|---|---|---|",
        *(f"| {label} | {seconds:.2f} | {seconds - bare:+.2f} |" for label, seconds in results),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    count, results = measure(args.database_url, args.rounds)
    text_out = section(count, results, args.rounds)
    print(text_out)
    if not args.no_append:
        append(OUT, text_out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
