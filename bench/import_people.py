"""``fangkong people import`` of a million synthetic people, on SQLite and on PostgreSQL.

1. writes ``bench/.work/people-<N>.csv`` (once per N; synthetic: valid resident IDs drawn by
   ``idcard.synthesize`` from a fixed seed across Harbin's 18 districts, 138/139 phones, three
   people to a household, a few flags and key groups, one row in a thousand a likely duplicate
   of an earlier one under a passport) and the grids it names (18 districts x 2 streets x
   3 communities x 5 grids);
2. for each database — a fresh SQLite file in ``bench/.work/`` and a fresh PostgreSQL database
   (``--postgres-database``, default ``fangkong_bench_import``; dropped afterwards) — runs the
   real commands as an operator would: ``fangkong db upgrade``, ``fangkong regions import``,
   then ``fangkong people import`` twice (the second run re-imports the same file and must
   change nothing);
3. prints rows/s (rows over the command's wall time, start-up included), the CPU seconds of
   the command's processes and of which its writing process (the rest is the parsing child),
   of the PostgreSQL backends, the peak resident memory of the command's processes (sampled),
   the CPUs other processes used meanwhile, and appends a dated section to
   ``bench/BENCHMARKS.md``.

Goal (from the issue): at least 20,000 rows/s. A benchmark reports, it never asserts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

import cpu
import report
from fangkong.core import security
from fangkong.people import idcard

BENCH = Path(__file__).resolve().parent
WORKDIR = BENCH / ".work"
RESULTS = BENCH / "BENCHMARKS.md"
FANGKONG = Path(sys.executable).with_name("fangkong")
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "fangkong_bench_import"
GOAL_ROWS_PER_S = 20_000
DISTRICTS = ("230102", "230103", "230104", "230108", "230109", "230110", "230111", "230112",
             "230113", "230123", "230124", "230125", "230126", "230127", "230128", "230129",
             "230183", "230184")  # fmt: skip
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅"
GROUPS = ("快递外卖人员", "进口冷链从业人员", "医疗机构工作人员", "cold_chain", "delivery")
HEADER = ["姓名", "证件类型", "证件号码", "性别", "出生日期", "手机号码", "现住址", "网格编码",
          "户号", "户主", "独居老人", "残疾人", "孕产妇", "慢性病", "外来人员", "境外来返",
          "重点人群", "工作单位"]  # fmt: skip


def grid_codes() -> list[str]:
    return [
        f"{district}{street:03d}{community:03d}{grid:03d}"
        for district in DISTRICTS
        for street in (1, 2)
        for community in (1, 2, 3)
        for grid in range(1, 6)
    ]


def write_regions(path: Path) -> None:
    rows = set()
    for code in grid_codes():
        rows.add((code[:9], "街道", "street", code[:6]))
        rows.add((code[:12], "社区", "community", code[:9]))
        rows.add((code, "网格", "grid", code[:12]))
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["code", "name", "level", "parent_code"])
        writer.writerows(sorted(rows, key=lambda r: (len(r[0]), r[0])))


def write_people(path: Path, count: int, seed: int = 1) -> None:
    """``count`` synthetic people, three to a household; the same file for the same seed."""
    rng = random.Random(seed)
    grids = grid_codes()
    seen: set[str] = set()
    earlier: list[list[str]] = []
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for index in range(count):
            if index % 1000 == 999 and earlier:
                writer.writerow(_twin(rng.choice(earlier), index))
                continue
            row = _person(rng, index, grids[(index // 3) % len(grids)], seen)
            if len(earlier) < 1000:
                earlier.append(row)
            writer.writerow(row)


def _person(rng: random.Random, index: int, grid: str, seen: set[str]) -> list[str]:
    while True:
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(34_000))
        sex = rng.choice("12")
        number = idcard.synthesize(rng, region_code=rng.choice(DISTRICTS), birth_date=born, sex=sex)  # type: ignore[arg-type]
        if number not in seen:
            seen.add(number)
            break
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    flags = ["是" if rng.random() < p else "否" for p in (0.02, 0.02, 0.01, 0.08, 0.1, 0.01)]
    group = rng.choice(GROUPS) if rng.random() < 0.02 else ""
    return [
        name, "", number, "男" if sex == "1" else "女", born.isoformat(),
        f"1{rng.choice('3589')}{rng.randrange(10**9):09d}", f"哈尔滨市示例路 {index // 3} 号",
        grid, f"H{index // 3:07d}", "是" if index % 3 == 0 else "否", *flags,
        group, "示例单位" if group else "",
    ]  # fmt: skip


def _twin(original: list[str], index: int) -> list[str]:
    """Same name, birth date and phone as ``original`` but a passport: a likely duplicate."""
    twin = list(original)
    twin[1], twin[2] = "护照", f"E{index:08d}"
    twin[8], twin[9] = "", "否"
    return twin


@dataclass
class Run:
    label: str
    seconds: float
    rows: int
    peak_rss_mb: float
    other_cpus: float
    cpu_seconds: float  # the command's processes (parent and parsing child)
    writer_seconds: float  # of which the command's own process (writes; sampled)
    server_seconds: float  # the PostgreSQL backends serving the import
    report: dict[str, object]

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds


def _tree_sample(pgid: int, cpu: dict[int, float]) -> int:
    """The resident KiB of the process group ``pgid``; records each member's CPU seconds."""
    total, ticks = 0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) != pgid:
                continue
            status = (entry / "status").read_text()
        except (OSError, IndexError):
            continue
        cpu[int(entry.name)] = (int(stat[11]) + int(stat[12])) / ticks
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def _backend_seconds(database: str) -> dict[int, float]:
    """CPU seconds so far of the PostgreSQL backends serving ``database`` (by process id)."""
    found = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if database.encode() not in (entry / "cmdline").read_bytes():
                continue
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found[int(entry.name)] = (int(stat[11]) + int(stat[12])) / ticks
    return found


def _busy_seconds() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields[:3] + fields[5:8]) / os.sysconf("SC_CLK_TCK")


def run_command(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(FANGKONG), *map(str, args)], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"fangkong {' '.join(map(str, args))} failed:\n{done.stderr}")
    return done


def timed_import(env: dict[str, str], label: str, path: Path, rows: int, database: str) -> Run:
    """One ``fangkong people import``; its process group's RSS sampled every 0.2 s."""
    usage_before = os.times()
    busy_before, started = _busy_seconds(), time.perf_counter()
    process = subprocess.Popen(
        [str(FANGKONG), "people", "import", str(path), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    peak, backends = 0, _backend_seconds(database)
    before, members = dict(backends), {}
    while process.poll() is None:
        peak = max(peak, _tree_sample(process.pid, members))
        backends.update(_backend_seconds(database))
        time.sleep(0.2)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"import failed:\n{err}")
    usage_after = os.times()
    ours = (usage_after.children_user - usage_before.children_user) + (
        usage_after.children_system - usage_before.children_system
    )
    server = sum(backends.values()) - sum(before.values())
    others = max(0.0, (_busy_seconds() - busy_before - ours - server) / seconds)
    writer = members.get(process.pid, 0.0)
    return Run(label, seconds, rows, peak / 1024, others, ours, writer, server, json.loads(out))


def bench_database(
    label: str, url: str, people: Path, regions: Path, rows: int, database: str = POSTGRES_DATABASE
) -> list[Run]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")} | {
        "FANGKONG_DATABASE_URL": url,
        "FANGKONG_DATA_KEY": security.new_key(),
        "FANGKONG_SECRET_KEY": security.new_key(),
        "FANGKONG_ENV": "test",
        "FANGKONG_LOG_LEVEL": "WARNING",
        "LANG": "C.UTF-8",
    }
    run_command(env, "db", "upgrade")
    run_command(env, "regions", "import", regions)
    first = timed_import(env, f"{label}, fresh database", people, rows, database)
    print(_line(first), flush=True)
    again = timed_import(env, f"{label}, same file again", people, rows, database)
    print(_line(again), flush=True)
    return [first, again]


def _line(run: Run) -> str:
    counts = run.report
    return (
        f"{run.label}: {run.rows_per_s:,.0f} rows/s ({run.seconds:.1f} s, CPU "
        f"{run.cpu_seconds:.1f} s (writer {run.writer_seconds:.1f} s) + server "
        f"{run.server_seconds:.1f} s), peak RSS "
        f"{run.peak_rss_mb:,.0f} MB, other CPUs "
        f"{run.other_cpus:.2f}; inserted "
        f"{counts['inserted']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
        f"rejected {len(counts['rejected'])}, flagged {counts['flagged_duplicates']}"  # type: ignore[arg-type]
    )


def sqlite_url(rows: int) -> str:
    database = WORKDIR / f"import-{rows}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{database}"


def with_postgres(rows: int, people: Path, regions: Path, database: str) -> list[Run]:
    if not database.isidentifier():
        raise SystemExit(f"not a plain database name: {database!r}")
    server = create_engine(POSTGRES_SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {database}"))
    try:
        url = POSTGRES_SERVER + database
        return bench_database("PostgreSQL", url, people, regions, rows, database)
    finally:
        with server.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        server.dispose()


def markdown(runs: list[Run], rows: int) -> str:
    info = report.machine()
    lines = [
        f"## {info['date']} — people import, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}, `uname -m` {os.uname().machine}), "
        f"Python {info['python']}, {cpu.reference_text()}. `fangkong people import` of "
        f"{rows:,} synthetic people "
        "(`bench/import_people.py`): rows over the command's wall time, start-up included.",
        "",
        "| database | run | rows/s | seconds | CPU s (command + server) | of which writer "
        "| peak RSS MB | inserted | updated | unchanged | flagged | other CPUs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        database, what = run.label.split(", ", 1)
        counts = run.report
        lines.append(
            f"| {database} | {what} | {run.rows_per_s:,.0f} | {run.seconds:.1f} | "
            f"{run.cpu_seconds:.0f} + {run.server_seconds:.0f} | {run.writer_seconds:.0f} | "
            f"{run.peak_rss_mb:,.0f} | "
            f"{counts['inserted']:,} | "
            f"{counts['updated']:,} | "
            f"{counts['unchanged']:,} | {counts['flagged_duplicates']:,} | {run.other_cpus:.2f} |"
        )
    lines.append("")
    for run in runs:
        if "fresh" in run.label:
            met = "met" if run.rows_per_s >= GOAL_ROWS_PER_S else "not met"
            busy = ", unreliable (busy machine)" if run.other_cpus >= 0.25 else ""
            lines.append(
                f"- {run.label.split(',')[0]}: ≥ {GOAL_ROWS_PER_S:,} rows/s: "
                f"**{met}{busy}** ({run.rows_per_s:,.0f})"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fangkong people import, 1M rows.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    parser.add_argument("--no-record", action="store_true", help="do not append to BENCHMARKS")
    parser.add_argument(
        "--postgres-database",
        default=POSTGRES_DATABASE,
        help="the PostgreSQL database to create, use and drop",
    )
    args = parser.parse_args(argv)
    WORKDIR.mkdir(exist_ok=True)
    people, regions = WORKDIR / f"people-{args.rows}.csv", WORKDIR / "grids.csv"
    if not people.exists():
        print(f"writing {people} ...", flush=True)
        write_people(people, args.rows)
    write_regions(regions)
    runs: list[Run] = []
    if args.only in (None, "sqlite"):
        runs += bench_database("SQLite", sqlite_url(args.rows), people, regions, args.rows)
    if args.only in (None, "postgresql"):
        runs += with_postgres(args.rows, people, regions, args.postgres_database)
    section = markdown(runs, args.rows)
    print(section)
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as stream:
            stream.write("\n" + section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
