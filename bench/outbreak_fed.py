"""``fangkong simulate outbreak`` fed to the platform, timed day by day, on a fresh city.

Builds a fresh SQLite file in ``bench/.work/outbreak-fed/`` (or, with ``--postgres``, a fresh
PostgreSQL database ``fangkong_bench_fed``, dropped at the end), runs ``db upgrade`` and
``simulate city --people N --seed 1``, then runs ``simulate outbreak --days D --seed S
--seed-cases K`` as an operator would, under fresh keys, and notes when each day's line
arrives: the seconds of each simulated day (model, feeding and the platform's reactions, one
transaction each) beside the day's samples and the platform's running totals. Prints them
and appends a dated section to ``bench/BENCHMARKS.md``. Goal (issue 10): 30 days on
1,000,000 people, simulated and fed, in under 10 minutes. A benchmark reports, it never asserts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

import cpu
import report
from fangkong.core import security

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work" / "outbreak-fed"
FANGKONG = Path(sys.executable).with_name("fangkong")
START = "2022-11-01"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "fangkong_bench_fed"


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


def prepare(env: dict[str, str], people: int) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    if env["FANGKONG_DATABASE_URL"].startswith("postgresql"):
        _postgres(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
    for command in (
        ("db", "upgrade"),
        ("simulate", "city", "--people", str(people), "--seed", "1", "--today", START),
    ):
        subprocess.run([str(FANGKONG), *command], env=env, cwd=WORK, check=True,
                       capture_output=True)  # fmt: skip


def _postgres(statement: str) -> None:
    admin = create_engine(POSTGRES + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)'))
        if statement:
            connection.execute(text(statement))
    admin.dispose()


def timed_days(env: dict[str, str], args: argparse.Namespace) -> tuple[list[float], str]:
    """Seconds from the start (or the day before) to each day's line; the last line."""
    run = ("--days", args.days, "--seed", args.seed, "--seed-cases", args.seed_cases)
    command = ["simulate", "outbreak", *map(str, run), "--start", START, "--out", "truth"]
    started = last = time.perf_counter()
    seconds, summary = [], ""
    with subprocess.Popen([str(FANGKONG), *command], env=env, cwd=WORK, text=True,
                          stdout=subprocess.PIPE) as process:  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            now = time.perf_counter()
            if line.startswith("day "):
                seconds.append(now - last)
                print(f"{now - last:7.1f} s  {line.rstrip()}", flush=True)
                last = now
            else:
                summary = line.rstrip()
    if process.returncode != 0:
        raise RuntimeError(f"simulate outbreak exited {process.returncode}")
    seconds.append(time.perf_counter() - started)  # the whole command, set-up included
    return seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed-cases", type=int, default=30)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--load", default="quiet machine", help="what else ran meanwhile")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    args = parser.parse_args()
    url = POSTGRES + POSTGRES_DATABASE if args.postgres else f"sqlite:///{WORK / 'fed.db'}"
    env = environment(url)
    prepare(env, args.people)
    busy = cpu.wait_quiet(120)
    info = report.machine()  # the commit the run starts with (the tree may change meanwhile)
    try:
        seconds, summary = timed_days(env, args)
    finally:
        if args.postgres:
            _postgres("")
    *per_day, total = seconds
    print(f"total {total:.1f} s for {args.days} days on {args.people:,} people; {summary}")
    report.append(BENCH / "BENCHMARKS.md", _section(args, (per_day, total, summary, busy), info))


def _section(
    args: argparse.Namespace, run: tuple[list[float], float, str, float], info: dict[str, str]
) -> str:
    per_day, total, summary, busy = run
    days = " | ".join(f"{s:.0f}" for s in per_day)
    return "\n".join([
        f"## {info['date']} — commit {info['commit']}: simulate outbreak fed to the platform, "
        f"{args.days} days on {args.people:,} people (bench/outbreak_fed.py)",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}; "
        f"{busy:.2f} CPUs busy before the run. Load: {args.load}. "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}; seed {args.seed}, "
        f"{args.seed_cases} seed cases.",
        "",
        "| " + " | ".join(f"day {d}" for d in range(len(per_day))) + " | total s |",
        "|" + "---|" * (len(per_day) + 1),
        f"| {days} | {total:.0f} |",
        "",
        f"- The command's last line: {summary}",
        "- Goal (issue 10): 30 days on 1,000,000 people, simulated and fed, < 600 s.",
        "",
    ])  # fmt: skip


if __name__ == "__main__":
    main()
