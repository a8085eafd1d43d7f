"""``fangkong simulate city --people 1000000 --seed 1``, on SQLite and on PostgreSQL.

For each database — a fresh SQLite file in ``bench/.work/`` and a fresh PostgreSQL database
``fangkong_bench_city`` (dropped afterwards) — runs ``fangkong db upgrade`` and then the
command as an operator would, under fresh keys. It waits (bounded) for a quiet machine first,
then prints the wall time (start-up included), people/s, the peak resident memory of the
command's process group (the writer and its generator child, sampled every 0.2 s) and the
CPUs other processes used meanwhile (the PostgreSQL backends serving the command are not
"other"), and appends a dated section to ``bench/BENCHMARKS.md``.

Goal (from the issue): a million people in under 3 minutes on each database. A benchmark
reports, it never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

import cpu
import report
from fangkong.core import security

BENCH = Path(__file__).resolve().parent
WORKDIR = BENCH / ".work"
RESULTS = BENCH / "BENCHMARKS.md"
FANGKONG = Path(sys.executable).with_name("fangkong")
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "fangkong_bench_city"
GOAL_SECONDS = 180
QUIET_WAIT_S = 300
SAMPLE_S = 0.2


@dataclass
class Run:
    database: str
    seconds: float
    people: int
    peak_rss_mb: float
    other_cpus: float
    summary: dict[str, float]

    @property
    def people_per_s(self) -> float:
        return self.people / self.seconds


def environment(url: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")} | {
        "FANGKONG_DATABASE_URL": url,
        "FANGKONG_DATA_KEY": security.new_key(),
        "FANGKONG_SECRET_KEY": security.new_key(),
        "FANGKONG_ENV": "test",
        "FANGKONG_LOG_LEVEL": "WARNING",
        "FANGKONG_LOG_JSON": "false",
        "LANG": "C.UTF-8",
    }


def group_rss_kb(pgid: int) -> int:
    """Resident memory of every live process in the process group, summed."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        total += sum(int(line.split()[1]) for line in status.splitlines() if line[:6] == "VmRSS:")
    return total


def server_cpu_seconds(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to ``database``: the server's
    share of the work, which would otherwise count as "other CPUs"."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError, UnicodeDecodeError):
            continue
        if command.startswith("postgres:") and f" {database} " in command:
            found[int(entry.name)] = (int(fields[11]) + int(fields[12])) / cpu.TICKS
    return found


def timed_city(database: str, env: dict[str, str], people: int, seed: int) -> Run:
    subprocess.run([str(FANGKONG), "db", "upgrade"], env=env, check=True, capture_output=True)
    quiet = cpu.wait_quiet(QUIET_WAIT_S)
    print(f"{database}: machine at {quiet:.2f} busy CPUs; simulating {people:,} people ...")
    before, busy_before = os.times(), cpu._busy_seconds()
    started = time.perf_counter()
    command = ["simulate", "city", "--people", str(people), "--seed", str(seed), "--json"]
    process = subprocess.Popen(
        [str(FANGKONG), *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    peak, server = 0, {}
    while process.poll() is None:
        peak = max(peak, group_rss_kb(process.pid))
        server |= server_cpu_seconds(POSTGRES_DATABASE)
        time.sleep(SAMPLE_S)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"simulate city failed on {database}:\n{err}")
    after = os.times()
    ours = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    ours += sum(server.values())  # the PostgreSQL backends' share (last sample of each)
    others = max(0.0, (cpu._busy_seconds() - busy_before - ours) / seconds)
    run = Run(database, seconds, people, peak / 1024, others, json.loads(out))
    print(line(run), flush=True)
    return run


def line(run: Run) -> str:
    return (
        f"{run.database}: {run.seconds:.1f} s, {run.people_per_s:,.0f} people/s, peak RSS "
        f"{run.peak_rss_mb:,.0f} MB, other CPUs {run.other_cpus:.2f} "
        f"(the command's own timer: {run.summary['seconds']} s)"
    )


def with_sqlite(people: int, seed: int) -> Run:
    database = WORKDIR / "simulate-city.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    try:
        return timed_city("SQLite", environment(f"sqlite:///{database}"), people, seed)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


def with_postgres(people: int, seed: int) -> Run:
    server = create_engine(POSTGRES_SERVER + "postgres", isolation_level="AUTOCOMMIT")
    drop = text(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
    with server.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE}"))
    try:
        env = environment(POSTGRES_SERVER + POSTGRES_DATABASE)
        return timed_city("PostgreSQL", env, people, seed)
    finally:
        with server.connect() as connection:
            connection.execute(drop)
        server.dispose()


def markdown(runs: list[Run], seed: int) -> str:
    info = report.machine()
    first = runs[0].summary
    lines = [
        f"## {info['date']} — simulate city, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}, `uname -m` {os.uname().machine}), "
        f"Python {info['python']}. `fangkong simulate city --people {runs[0].people:,} "
        f"--seed {seed}` on a freshly migrated database (`bench/simulate_city.py`): wall time "
        "of the command, start-up and commit included; RSS summed over the writer and its "
        "generator child.",
        "",
        f"City: {first['districts']} districts, {first['streets']} streets, "
        f"{first['communities']} communities, {first['grids']:,} grids, "
        f"{first['households']:,} households, {first['key_group_members']:,} key-group "
        f"members, {first['grid_workers']:,} grid workers.",
        "",
        "| database | seconds | people/s | peak RSS MB | other CPUs |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        lines.append(
            f"| {run.database} | {run.seconds:.1f} | {run.people_per_s:,.0f} | "
            f"{run.peak_rss_mb:,.0f} | {run.other_cpus:.2f} |"
        )
    lines.append("")
    for run in runs:
        met = "met" if run.seconds < GOAL_SECONDS else "not met"
        busy = ", unreliable (busy machine)" if run.other_cpus >= cpu.QUIET_CPUS else ""
        lines.append(
            f"- {run.database}: {run.people:,} people < {GOAL_SECONDS} s: "
            f"**{met}{busy}** ({run.seconds:.1f} s)"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fangkong simulate city, 1M people.")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--no-record", action="store_true", help="do not append to BENCHMARKS")
    args = parser.parse_args(argv)
    WORKDIR.mkdir(exist_ok=True)
    runs: list[Run] = []
    if args.only in (None, "sqlite"):
        runs.append(with_sqlite(args.people, args.seed))
    if args.only in (None, "postgresql"):
        runs.append(with_postgres(args.people, args.seed))
    section = markdown(runs, args.seed)
    print(section)
    if not args.no_record:
        report.append(RESULTS, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
