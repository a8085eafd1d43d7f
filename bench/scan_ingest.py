"""Bulk ingest of scans from a file into the 30M-scan world: scans/s.

    .venv/bin/python bench/scan_ingest.py [--database-url URL] [--rows 2000000]
        [--format csv|ndjson] [--fields codes|ids] [--via service|cli] [--span-days N]
        [--no-append] [world options of scan_world.py]

Writes a file of ``--rows`` scans (``bench/.work/scanworld/ingest-….csv``), kept and reused:
``codes`` rows name the venue by its place code and the person by the resident ID number (a
partner system's file: every row needs the token's HMAC checked and the number's keyed hash
looked up), ``ids`` rows by ``venue_id`` and ``person_id``. The rows fall inside the world's
28 days (``--span-days N``: its last N days only, as a file of one day's offline scans),
between the world's own scans (no visit collides), over 5,000 venues and 200,000 people.
Then ingests it into the world (``bench/scan_world.py``) through
``fangkong.scans.ingest.ingest`` in one transaction and commits, as ``fangkong scans ingest``
does (``--via cli`` runs that command instead, start-up included), and reports the wall time
and scans/s. Afterwards the new rows are deleted again (by id, above the world's last), so
every run starts from the same 30M.

Goal (issue 6): at least 100,000 scans/s from a file on both databases. Never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import pstats
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

import cpu
import report
import scan_world
from checkin_tools import sample_people

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "BENCHMARKS.md"
GOAL = 100_000
FIELDS = {
    "codes": ["place_code", "id_number", "scanned_at", "temperature", "mask", "device"],
    "ids": ["venue_id", "person_id", "scanned_at", "temperature", "mask", "device"],
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    scan_world.add_world_args(parser)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--format", choices=("csv", "ndjson"), default="csv")
    parser.add_argument("--fields", choices=tuple(FIELDS), default="codes")
    parser.add_argument("--via", choices=("service", "cli"), default="service")
    parser.add_argument(
        "--span-days",
        type=int,
        default=0,
        help="the file covers the world's last N days (default: all of them)",
    )
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile the ingest; top 25")
    return parser.parse_args()


def write_file(args: argparse.Namespace, world: scan_world.Manifest) -> Path:
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.people.protect import Protector  # noqa: PLC0415
    from fangkong.venues.placecode import token_for  # noqa: PLC0415

    span = args.span_days if 0 < args.span_days < args.days else 0
    suffix = f"-{span}d" if span else ""
    path = scan_world.WORK / f"ingest-{args.fields}-{args.rows}{suffix}.{args.format}"
    if path.exists():
        return path
    settings, rng = Settings(), random.Random(5)
    engine = scan_world.engine_for(args.database_url)
    people = sample_people(engine, min(200_000, world.people), 5)
    engine.dispose()
    protector = Protector(settings.data_key_bytes)
    numbers = [(pid, protector.open_id(enc)) for pid, enc in people]
    venues = rng.sample(range(1, world.venues + 1), min(5000, world.venues))
    codes = {v: token_for(settings, v, 1) for v in venues}
    step = timedelta(microseconds=world.step_us)
    # World scan i is at start + i·step; file rows go strictly between two of them, ``per``
    # rows to a gap, over the gaps of the last ``span`` days (all days when 0).
    gaps = world.scans * span // args.days if span else world.scans
    first_gap = world.scans - gaps
    per = -(-args.rows // gaps)  # ceil
    spacing = max(1, gaps // -(-args.rows // per))
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="") as out:
        writer = csv.writer(out) if args.format == "csv" else None
        if writer:
            writer.writerow(FIELDS[args.fields])
        for n in range(args.rows):
            venue, (pid, number) = rng.choice(venues), rng.choice(numbers)
            gap = first_gap + (n // per) * spacing + 1
            at = world.start_at + step * gap + step * ((n % per) + 1) / (per + 1)
            row = (
                [codes[venue], number] if args.fields == "codes" else [venue, pid]
            ) + [at.isoformat(), round(rng.uniform(36.0, 37.2), 1), rng.random() < 0.95,
                 f"scanner-{venue % 500}"]  # fmt: skip
            if writer:
                writer.writerow(row)
            else:
                out.write(json.dumps(dict(zip(FIELDS[args.fields], row, strict=True))) + "\n")
    tmp.rename(path)
    return path


def ingest_service(url: str, path: Path, fmt: str) -> tuple[float, dict[str, int]]:
    from fangkong.auth.permissions import ROLE_PERMISSIONS, Role  # noqa: PLC0415
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.core.principal import Principal  # noqa: PLC0415
    from fangkong.db import Database, make_engine  # noqa: PLC0415
    from fangkong.scans import ingest  # noqa: PLC0415

    perms = frozenset(p.value for p in ROLE_PERMISSIONS[Role.CITY_ADMIN])
    actor = Principal(None, "bench-ingest", "city_admin", "230100", perms)
    settings = Settings()
    db = Database(make_engine(url))
    started = time.perf_counter()
    with db.transaction() as session, path.open(newline="") as stream:
        result = ingest.ingest(session, settings, actor=actor, stream=stream, fmt=fmt,  # type: ignore[arg-type]
                               now=datetime.now(UTC))  # fmt: skip
    seconds = time.perf_counter() - started
    db.engine.dispose()
    counts = {"accepted": result.accepted, "duplicates": result.duplicates,
              "rejected": result.rejected}  # fmt: skip
    return seconds, counts


def ingest_cli(env: dict[str, str], path: Path, fmt: str) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("fangkong")), "scans", "ingest", str(path),
         "--format", fmt], env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"fangkong scans ingest exited {done.returncode}: {done.stderr}")
    print(done.stdout.strip()[-400:])
    return seconds, {}


def last_id(url: str) -> int:
    engine = scan_world.engine_for(url)
    with engine.connect() as connection:
        found = int(connection.execute(text("SELECT max(id) FROM scans")).scalar_one())
    engine.dispose()
    return found


def clean_up(url: str, above: int) -> int:
    engine = scan_world.engine_for(url)
    with engine.begin() as connection:
        gone = connection.execute(text("DELETE FROM scans WHERE id > :id"), {"id": above})
    engine.dispose()
    return int(gone.rowcount)


def section(args: argparse.Namespace, world: scan_world.Manifest, seconds: float,
            counts: dict[str, int], other: float) -> str:  # fmt: skip
    info = report.machine()
    backend = "SQLite" if world.url.startswith("sqlite") else "PostgreSQL"
    rate = args.rows / seconds
    span = args.span_days if 0 < args.span_days < args.days else args.days
    spread = "scan times spread over the world's " + (
        f"last {span} days" if span > 1 else "last day"
    )
    verdict = "met" if rate >= GOAL else "not met"
    if other >= cpu.QUIET_CPUS:
        verdict += ", unreliable (busy machine)"
    how = (
        "`fangkong.scans.ingest.ingest` in-process, one transaction"
        if args.via == "service"
        else "`fangkong scans ingest` (start-up included)"
    )
    return "\n".join([
        f"## {info['date']} — bulk ingest, {backend}, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. World "
        f"(`bench/scan_world.py`): {world.people:,} people, {world.venues:,} venues, "
        f"{world.scans:,} scans. File: {args.rows:,} rows, {args.format.upper()}, "
        f"fields `{', '.join(FIELDS[args.fields])}`, {spread}; {how} "
        f"(`bench/scan_ingest.py`). Other processes used {other:.2f} CPUs meanwhile "
        "(PostgreSQL's backend included).",
        "",
        "| database | rows | seconds | scans/s | accepted | duplicates | rejected |",
        "|---|---|---|---|---|---|---|",
        f"| {backend} | {args.rows:,} | {seconds:.1f} | {rate:,.0f} | "
        f"{counts.get('accepted', '?')} | {counts.get('duplicates', '?')} | "
        f"{counts.get('rejected', '?')} |",
        "",
        f"- Bulk ingest ≥ 100,000 scans/s: **{verdict}** ({rate:,.0f} scans/s).",
        "",
    ])  # fmt: skip


def main() -> int:
    args = parse_args()
    world = scan_world.build(args)
    path = write_file(args, world)
    print(f"file {path} ({path.stat().st_size / 1e6:,.0f} MB)", flush=True)
    before = last_id(args.database_url)
    cpu.wait_quiet(30)
    own, wall = time.process_time(), time.monotonic()
    try:
        with cpu.others_during([]) as others:
            if args.via == "service" and args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                seconds, counts = ingest_service(args.database_url, path, args.format)
                profiler.disable()
                stats = pstats.Stats(profiler)
                stats.sort_stats("tottime").print_stats(25)
            elif args.via == "service":
                seconds, counts = ingest_service(args.database_url, path, args.format)
            else:
                env = scan_world.environment(args.database_url)
                seconds, counts = ingest_cli(env, path, args.format)
        own_cpus = (time.process_time() - own) / (time.monotonic() - wall)
    finally:
        print(f"removed {clean_up(args.database_url, before):,} ingested rows", flush=True)
    print(f"{args.rows:,} rows in {seconds:.1f} s: {args.rows / seconds:,.0f} scans/s {counts}")
    text_ = section(args, world, seconds, counts, max(0.0, others.cpus - own_cpus))
    print(text_)
    if not args.no_append:
        report.append(RESULTS, text_)
    return 0


if __name__ == "__main__":
    sys.exit(main())
