"""``fangkong arrivals import`` of a pushed list of 100,000 rows, on SQLite and PostgreSQL.

    .venv/bin/python bench/arrivals_import.py [--rows 100000] [--people 200000]
        [--only sqlite|postgres] [--no-append]

1. The city, once: ``fangkong db upgrade`` and ``fangkong simulate city --people 200000
   --seed 8`` into ``bench/.work/arrivals.db`` and the PostgreSQL database
   ``fangkong_bench_arrivals`` (kept for later list timing; rebuilt when empty). The sealing
   key is kept in ``bench/.work/arrivals.key`` so the kept databases stay readable.
2. A national list of a few hundred areas (high, medium, low; whole counties and sub-areas)
   written straight into ``risk_areas`` (replaced on every run).
3. A pushed list (``bench/.work/arrivals-<rows>.csv``): rows by ID number or phone of
   registered people, about 5 % unmatched (IDs nobody has), about 2 % broken (a bad phone, an
   unknown origin, dates in the wrong order), about 20 % from listed counties, and 10 % repeats
   of an earlier row's person a few hours later (they merge into its trip).
4. Times the real command (wall time, start-up included) on a database whose earlier trips,
   reports and arrival placements were cleared (on PostgreSQL then vacuumed and analyzed, so
   that every run starts alike), then once more on the same file (a re-import:
   must change nothing), and appends a dated section to ``bench/BENCHMARKS.md``. Goal
   (issue 8): imported, merged and classified in under 30 s. A benchmark reports, it never
   asserts.
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
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text

import cpu
import report
from fangkong.arrivals import places
from fangkong.arrivals.riskareas.matching import area_key
from fangkong.config import decode_key
from fangkong.core import security
from fangkong.models.arrivals import RiskArea
from fangkong.people import idcard
from fangkong.people.protect import Protector

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"
RESULTS = BENCH / "BENCHMARKS.md"
FANGKONG = Path(sys.executable).with_name("fangkong")
SQLITE = WORK / "arrivals.db"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/"
POSTGRES_DATABASE = "fangkong_bench_arrivals"
GOAL_SECONDS = 30.0
HEADER = ["身份证号", "手机号", "姓名", "来源省", "来源市", "来源区县", "来源详细地址",
          "出发日期", "抵达时间", "交通方式", "车次航班车牌"]  # fmt: skip
AREAS = ("望京街道", "中关村街道", "某某小区", "幸福村", "解放路街道")


def key() -> str:
    path = WORK / "arrivals.key"
    if not path.exists():
        path.write_text(security.new_key())
    return path.read_text().strip()


def environment(url: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("FANGKONG_")} | {
        "FANGKONG_DATABASE_URL": url, "FANGKONG_DATA_KEY": key(),
        "FANGKONG_SECRET_KEY": security.new_key(), "FANGKONG_ENV": "test",
        "FANGKONG_LOG_LEVEL": "WARNING", "FANGKONG_LOG_JSON": "false",
    }  # fmt: skip


def fangkong(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FANGKONG), *args], env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip


def ensure_city(url: str, people: int) -> None:
    env = environment(url)
    done = fangkong(env, "db", "upgrade")
    if done.returncode:
        raise SystemExit(done.stderr)
    city = fangkong(env, "simulate", "city", "--people", str(people), "--seed", "8", "--if-empty")
    if city.returncode:
        raise SystemExit(city.stderr)


def national_list(url: str, rng: random.Random) -> list[tuple[places.Place, str]]:
    """A few hundred areas outside Heilongjiang; returns the listed (place, area) pairs."""
    candidates = [p for p in places.all_places() if not p.code.startswith("23")]
    chosen = rng.sample(candidates, 300)
    start = datetime.now(UTC) - timedelta(days=10)
    rows, listed = [], []
    for n, place in enumerate(chosen):
        area = "" if n % 3 == 0 else rng.choice(AREAS)
        grade = ("high", "medium", "low")[n % 3 if n % 5 else 0]
        rows.append({"province": place.province, "city": place.city, "district": place.district,
                     "county_code": place.code, "area": area, "area_key": area_key(area),
                     "grade": grade, "designated": False, "effective_from": start,
                     "effective_to": None, "source": "import", "note": "",
                     "created_at": start})  # fmt: skip
        listed.append((place, area))
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(RiskArea.__table__.delete())
        connection.execute(insert(RiskArea), rows)
    engine.dispose()
    return listed


def clear_arrivals(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        arrival = "SELECT id FROM placements WHERE basis = 'arrival'"
        for table in ("quarantine_tests", "check_ins"):
            connection.execute(text(f"DELETE FROM {table} WHERE placement_id IN ({arrival})"))
        connection.execute(text("DELETE FROM placements WHERE basis = 'arrival'"))
        for table in ("arrival_tasks", "arrival_reports", "trips"):
            connection.execute(text(f"DELETE FROM {table}"))
        connection.execute(text("DELETE FROM health_facts WHERE source = 'arrivals'"))
    engine.dispose()
    if url.startswith("postgresql"):
        _vacuum(url)


CLEARED = ("quarantine_tests", "check_ins", "placements", "arrival_tasks", "arrival_reports",
           "trips", "health_facts", "health_codes")  # fmt: skip


def _vacuum(url: str) -> None:
    """The cleared tables vacuumed and analyzed: each run starts from the same state whether
    or not the server's autovacuum is on (it is off on some test machines, where the deleted
    rows of earlier runs piled up and each run came out slower than the one before)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for table in CLEARED:
            connection.execute(text(f"VACUUM ANALYZE {table}"))
    engine.dispose()


def identities(url: str, count: int) -> list[tuple[str, str | None, str]]:
    """(ID number, phone, name) of ``count`` registered people, opened with the kept key."""
    protector = Protector(decode_key(key()))
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT id_number_enc, phone_enc, name FROM people WHERE id_type = 'resident_id' "
            f"ORDER BY id LIMIT {count}")).all()  # fmt: skip
    engine.dispose()
    return [(protector.open_id(i), protector.open_phone(p) if p else None, n) for i, p, n in rows]


def write_list(path: Path, rows: int, people: list[tuple[str, str | None, str]],
               listed: list[tuple[places.Place, str]], rng: random.Random) -> None:  # fmt: skip
    elsewhere = [p for p in places.all_places() if not p.code.startswith("23")]
    now = datetime.now(UTC).astimezone(places_tz())
    written: list[list[str]] = []
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for n in range(rows):
            if n % 10 == 9 and written:  # a repeat: the same person a few hours later
                row = list(rng.choice(written))
                at = datetime.strptime(row[8], "%Y-%m-%d %H:%M") + timedelta(hours=3)
                row[8] = min(at, now.replace(tzinfo=None)).strftime("%Y-%m-%d %H:%M")
                row[9] = "火车"
                writer.writerow(row)
                continue
            number, phone, name = people[n % len(people)]
            if rng.random() < 0.05:
                number, phone, name = _stranger(rng), None, "外来人员"
            if rng.random() < 0.2:
                place, area = rng.choice(listed)
            else:
                place, area = rng.choice(elsewhere), ""
            arrived = now - timedelta(minutes=rng.randrange(60, 72 * 60))
            departed = (arrived - timedelta(days=rng.randrange(0, 3))).date()
            by_phone = phone and rng.random() < 0.3
            row = ["" if by_phone else number, phone if by_phone else "", name, place.province,
                   place.city, place.district, area, departed.isoformat(),
                   arrived.strftime("%Y-%m-%d %H:%M"), "飞机", f"CA{n % 9000:04d}"]  # fmt: skip
            _break(rng, row)
            writer.writerow(row)
            if len(written) < 20_000:
                written.append(row)


def places_tz():  # type: ignore[no-untyped-def]
    from fangkong.core.clock import LOCAL_TZ  # noqa: PLC0415

    return LOCAL_TZ


def _stranger(rng: random.Random) -> str:
    born = datetime(1960, 1, 1).date() + timedelta(days=rng.randrange(15_000))
    return idcard.synthesize(rng, region_code="110105", birth_date=born, sex="1")  # type: ignore[arg-type]


def _break(rng: random.Random, row: list[str]) -> None:
    roll = rng.random()
    if roll < 0.007:
        row[0], row[1] = "", "12345"
    elif roll < 0.014:
        row[3], row[5] = "火星省", "某区"
    elif roll < 0.02:
        row[7] = "2999-01-01"


def timed_import(url: str, path: Path) -> tuple[float, dict[str, object]]:
    env = environment(url)
    started = time.perf_counter()
    done = fangkong(env, "arrivals", "import", str(path), "--json")
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stderr)
    found = json.loads(done.stdout)
    found.pop("rejected_lines", None)
    return seconds, found


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} on {len(os.sched_getaffinity(0))} CPUs"


def run_one(label: str, url: str, args: argparse.Namespace) -> list[str]:
    rng = random.Random(8)
    ensure_city(url, args.people)
    listed = national_list(url, rng)
    path = WORK / f"arrivals-{args.rows}.csv"
    people = identities(url, args.rows)
    write_list(path, args.rows, people, listed, rng)
    clear_arrivals(url)
    busy = load_average()
    seconds, first = timed_import(url, path)
    again_seconds, again = timed_import(url, path)
    verdict = "met" if seconds < GOAL_SECONDS else "not met"
    print(f"{label}: {seconds:.1f} s ({verdict}); {first}", flush=True)
    print(f"{label} re-import: {again_seconds:.1f} s; {again}", flush=True)
    return [f"| {label} | {args.rows:,} | {seconds:.1f} | {first['accepted']:,} | "
            f"{first['matched']:,} | {first['unmatched']:,} | {first['rejected']:,} | "
            f"{first['trips_new']:,} | {again_seconds:.1f} ({again['unchanged']:,} unchanged, "
            f"{again['accepted']} accepted) | {verdict} | {busy} |"]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    if args.only != "postgres":
        lines += run_one("SQLite", f"sqlite:///{SQLITE}", args)
    if args.only != "sqlite":
        server = create_engine(POSTGRES_SERVER + "postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"),
                                        {"d": POSTGRES_DATABASE}).first()  # fmt: skip
            if not exists:
                connection.execute(text(f"CREATE DATABASE {POSTGRES_DATABASE}"))
        server.dispose()
        lines += run_one("PostgreSQL", POSTGRES_SERVER + POSTGRES_DATABASE, args)
    if not args.no_append:
        info = report.machine()
        section = "\n".join([
            f"## {info['date']} — arrivals import (issue 8), commit {info['commit']}", "",
            f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, "
            f"{cpu.reference_text()}. The load average before each run is in its row (a busy "
            "machine slows the figures).", "",
            "| database | rows | seconds | accepted | matched | unmatched | refused | new trips "
            "| re-import s | goal < 30 s | load before |", "|" + "---|" * 11, *lines, "",
        ])  # fmt: skip
        report.append(RESULTS, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
