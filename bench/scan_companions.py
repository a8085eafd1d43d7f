"""Space-time companions (时空伴随) of one stay, on the scan world: p50/p99 latency.

    .venv/bin/python bench/scan_companions.py [--database-url URL] [--queries 1000]
        [--window-minutes 30] [--no-append] [world options of scan_world.py]

Picks random scans of the world (``bench/scan_world.py``: 30M scans over 28 days), and for
each calls ``fangkong.scans.service.companions(session, settings, person_id, start, end)``
with the window ``scanned_at ± --window-minutes`` (so the person's stay at that venue is in
it), one session per call as a request has, one call at a time, 100 warm-up calls first.
The companions are the people at the same venue within the active edition's margin.

Goal (issue 6): under 5 ms at 30,000,000 scans. Reported as met or not; never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text

import cpu
import report
import scan_world

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "BENCHMARKS.md"
GOAL_MS = 5.0
WARMUP = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    scan_world.add_world_args(parser)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--window-minutes", type=int, default=30)
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


def stays(db: object, how_many: int) -> list[tuple[int, object]]:
    """(person_id, scanned_at) of random scans, by random ids (the ids are dense)."""
    from fangkong.models.scan import Scan  # noqa: PLC0415

    rng = random.Random(11)
    with db.sessions() as session:  # type: ignore[attr-defined]
        top = int(session.execute(text("SELECT max(id) FROM scans")).scalar_one())
        ids = sorted({rng.randint(1, top) for _ in range(how_many * 2)})[: how_many * 2]
        rows = session.execute(
            select(Scan.person_id, Scan.scanned_at).where(Scan.id.in_(ids))
        ).all()
    picked = [(int(p), t) for p, t in rows]
    rng.shuffle(picked)
    return picked[:how_many]


def measure(url: str, queries: int, window: timedelta) -> tuple[float, float, float, int]:
    """(p50 ms, p99 ms, mean companions, calls)."""
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.db import Database, make_engine  # noqa: PLC0415
    from fangkong.scans import service  # noqa: PLC0415

    settings = Settings()
    db = Database(make_engine(url))
    sample = stays(db, queries + WARMUP)
    found, laps = [], []
    for n, (person_id, at) in enumerate(sample):
        started = time.perf_counter()
        with db.sessions() as session:
            result = service.companions(session, settings, person_id, at - window, at + window)
        lap = (time.perf_counter() - started) * 1000
        if n >= WARMUP:
            laps.append(lap)
            found.append(sum(len(c.others) for c in result))
    db.engine.dispose()
    p99 = statistics.quantiles(laps, n=100)[98]
    return statistics.median(laps), p99, statistics.fmean(found), len(laps)


def section(world: scan_world.Manifest, args: argparse.Namespace, figures: tuple[float, ...],
            other: float) -> str:  # fmt: skip
    info = report.machine()
    p50, p99, mean, calls = figures
    backend = "SQLite" if world.url.startswith("sqlite") else "PostgreSQL"
    verdict = "met" if p99 < GOAL_MS else "not met"
    if other >= cpu.QUIET_CPUS:
        verdict += ", unreliable (busy machine)"
    return "\n".join([
        f"## {info['date']} — companions, {backend}, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. World "
        f"(`bench/scan_world.py`): {world.people:,} people, {world.venues:,} venues, "
        f"{world.scans:,} scans over {args.days} days. `fangkong.scans.service.companions` of "
        f"a random stay, window ±{args.window_minutes} min, one session per call, "
        f"{int(calls):,} calls after {WARMUP} warm-up (`bench/scan_companions.py`); other "
        f"processes used {other:.2f} CPUs meanwhile (PostgreSQL's own backend included).",
        "",
        "| database | p50 ms | p99 ms | companions per call (mean) |",
        "|---|---|---|---|",
        f"| {backend} | {p50:.2f} | {p99:.2f} | {mean:.1f} |",
        "",
        f"- Companions of one stay < 5 ms at {world.scans:,} scans: **{verdict}** "
        f"(p99 {p99:.2f} ms).",
        "",
    ])  # fmt: skip


def main() -> int:
    args = parse_args()
    world = scan_world.build(args)
    window = timedelta(minutes=args.window_minutes)
    cpu.wait_quiet(30)
    own, wall = time.process_time(), time.monotonic()
    with cpu.others_during([]) as others:
        figures = measure(args.database_url, args.queries, window)
    own_cpus = (time.process_time() - own) / (time.monotonic() - wall)
    text_ = section(world, args, figures, max(0.0, others.cpus - own_cpus))
    print(text_)
    if not args.no_append:
        report.append(RESULTS, text_)
    return 0


if __name__ == "__main__":
    sys.exit(main())
