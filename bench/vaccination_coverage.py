"""Vaccination coverage (接种率) by district × age band × dose, SQLite or PostgreSQL.

Usage::

    .venv/bin/python bench/vaccination_coverage.py [--people 1000000] [--database-url URL]
                                                   [--runs 20] [--no-append]

Builds once (fast SQL, as ``bench/testing_coverage.py`` does; reused when the database
already holds people): 1,600 grids in 8 districts, the people spread over them with birth
dates from 1935 to 2021, two vaccine products, and about 2.5 doses a person (6 % none,
6 % one, 24 % two, 56 % three, 8 % four) with the per-person ``vaccination_status`` rows the
dose verbs keep, computed by ``fangkong.vaccination.rules.summarize``.

Then times ``service.coverage`` (what ``GET /api/v1/vaccination/coverage`` runs, one session
per call as a request has) as the city admin for the whole city and for one district, and
one outreach page of a grid. The counts of the day (``vaccination_counts``) are rebuilt
first, as the nightly job ``vaccination.recount`` does; coverage of another day reads people
live and is timed too.

Goal (issue 11): coverage by district and age band for 1,000,000 people and 2,500,000 doses
under 500 ms. Reported as met or not; never asserted. Prints the figures and appends a dated
section to ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from cpu import busy_cpus, wait_quiet  # noqa: E402
from fangkong.core.principal import Principal  # noqa: E402
from fangkong.db import make_engine  # noqa: E402
from fangkong.migrate import upgrade  # noqa: E402
from fangkong.models import Person, Region  # noqa: E402
from fangkong.models.vaccination import Dose, VaccinationStatus, Vaccine  # noqa: E402
from fangkong.vaccination import service  # noqa: E402
from fangkong.vaccination.repository import OutreachFilter  # noqa: E402
from fangkong.vaccination.rules import summarize  # noqa: E402
from report import append, machine  # noqa: E402

WORK = BENCH / ".work"
RESULTS = BENCH / "BENCHMARKS.md"
GOAL_MS = 500.0
DISTRICTS = ("230102", "230103", "230104", "230108", "230109", "230110", "230111", "230112")
BATCH = 50_000
ADMIN = Principal(
    id=None, username="bench", role="city_admin", region_code="230100",
    permissions=frozenset({"vaccination.read"}),
)  # fmt: skip
NOW = datetime(2022, 12, 1, 2, 0, tzinfo=UTC)
ON = date(2022, 12, 1)
FIRST_DOSE = date(2021, 3, 1)
# Doses per person by i % 50: 3 none, 3 one, 12 two, 28 three, 4 four (2.54 on average).
DOSES = [0] * 3 + [1] * 3 + [2] * 12 + [3] * 28 + [4] * 4


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


def grids() -> list[str]:
    return [
        f"{d}{s:03d}{c:03d}{g:03d}"
        for d in DISTRICTS for s in range(1, 6) for c in range(1, 6) for g in range(1, 9)
    ]  # fmt: skip


def region_rows() -> list[dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    levels = {9: "street", 12: "community", 15: "grid"}  # districts come with the migration
    for grid in grids():
        for n in (9, 12, 15):
            code = grid[:n]
            rows[code] = {
                "code": code, "name": f"区划{code[-6:]}", "name_en": None, "level": levels[n],
                "parent_code": code[:-3], "created_at": NOW,
            }  # fmt: skip
    return list(rows.values())


def birth_of(i: int) -> date:
    return date(1935, 1, 1) + timedelta(days=(i * 7919) % 31_775)  # 1935 .. 2021


def person_rows(start: int, stop: int, codes: list[str]) -> list[dict[str, object]]:
    return [
        {"id": i + 1, "name": f"居民{i}", "id_type": "resident_id", "id_number_enc": b"",
         "id_number_hash": f"bench{i:012d}", "id_number_masked": "2301**********0000",
         "sex": "1" if i % 2 else "2", "birth_date": birth_of(i),
         "grid_code": codes[i % len(codes)], "status": "active", "created_at": NOW,
         "updated_at": NOW}
        for i in range(start, stop)
    ]  # fmt: skip


def dose_rows(i: int, grid: str, vaccines: dict[int, int]) -> tuple[list[dict], dict | None]:
    count = DOSES[i % 50] if birth_of(i) <= ON - timedelta(days=3 * 366) else 0
    if count == 0:
        return [], None
    series = 1 if i % 10 == 0 else 2
    days = [FIRST_DOSE + timedelta(days=i % 90 + 30 * n + (150 if n >= series else 0))
            for n in range(count)]  # fmt: skip
    doses = [
        {"person_id": i + 1, "vaccine_id": vaccines[series], "dose_number": n + 1, "given_on": d,
         "site": "社区卫生服务中心", "batch": f"B{n}", "region_code": grid,
         "recorded_by": "bench", "created_at": NOW}
        for n, d in enumerate(days)
    ]  # fmt: skip
    s = summarize(days, series, 180)
    status = {
        "person_id": i + 1, "grid_code": grid, "birth_date": birth_of(i), "doses": s.doses,
        "series_doses": s.series_doses, "complete": s.complete, "boosted": s.boosted,
        "last_dose_on": s.last_dose_on, "booster_due_on": s.booster_due_on,
    }  # fmt: skip
    return doses, status


def build(session: Session, people: int) -> None:
    session.execute(insert(Region), region_rows())
    one = Vaccine(code="ADV5", name="腺病毒载体疫苗", series_doses=1, active=True, created_at=NOW)
    two = Vaccine(code="INACT", name="灭活疫苗", series_doses=2, active=True, created_at=NOW)
    session.add_all([one, two])
    session.flush()
    vaccines, codes = {1: one.id, 2: two.id}, grids()
    for start in range(0, people, BATCH):
        stop = min(start + BATCH, people)
        session.execute(insert(Person), person_rows(start, stop, codes))
        doses, statuses = [], []
        for i in range(start, stop):
            made, status = dose_rows(i, codes[i % len(codes)], vaccines)
            doses += made
            statuses += [status] if status else []
        session.execute(insert(Dose), doses)
        session.execute(insert(VaccinationStatus), statuses)


def prepare(url: str, people: int) -> float:
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with Session(engine) as session:
        if session.scalar(select(func.count()).select_from(Person)) == 0:
            build(session, people)
            session.commit()
        recount_started = time.perf_counter()
        service.recount(session, actor=ADMIN, on=ON)
        session.commit()
        print(f"recount: {time.perf_counter() - recount_started:.1f} s")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and 99th percentile (the max below 100 runs) in ms after one warm-up."""
    call()
    laps = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        laps.append((time.perf_counter() - started) * 1000)
    laps.sort()
    return statistics.median(laps), laps[min(len(laps) - 1, int(len(laps) * 0.99))]


def measure(url: str, runs: int) -> tuple[list[tuple[str, float, float]], int]:
    engine = make_engine(url)

    def coverage(region: str | None, on: date = ON) -> Callable[[], object]:
        def call() -> object:
            with Session(engine) as session:
                return service.coverage(session, actor=ADMIN, region=region, on=on)

        return call

    def outreach() -> object:
        with Session(engine) as session:
            where = OutreachFilter(grid=grids()[0], on=ON)
            return service.outreach(session, actor=ADMIN, where=where, after=None, limit=50)

    cases = [
        ("city: 8 districts × 5 bands × dose", coverage(None)),
        ("district 230102 × 5 bands × dose", coverage("230102")),
        ("city, another day (live, no counts)", coverage(None, ON - timedelta(days=1))),
        ("outreach: first page of a grid", outreach),
    ]
    rows = [(name, *timed(call, runs)) for name, call in cases]
    with Session(engine) as session:
        doses = session.scalar(select(func.count()).select_from(Dose)) or 0
    engine.dispose()
    return rows, doses


def main() -> int:
    args = parse_args()
    WORK.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{WORK}/vaccination-{args.people}.db"
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    build_s = prepare(url, args.people)
    before = wait_quiet(60)
    rows, doses = measure(url, args.runs)
    after = busy_cpus()
    city = rows[0][1]
    verdict = "met" if city < GOAL_MS else "not met"
    lines = [f"| {name} | {p50:,.1f} | {p99:,.1f} |" for name, p50, p99 in rows]
    head = f"{backend}, {args.people:,} people, {doses:,} doses (build/reuse {build_s:.0f} s)"
    print("\n".join([head, *lines]))
    busy = f"busy CPUs {before:.2f}/{after:.2f}"
    print(f"goal: city coverage < 500 ms: {verdict} ({city:.0f} ms); {busy}")
    if not args.no_append:
        info = machine()
        append(RESULTS, "\n".join([
            f"## {info['date']} — vaccination coverage ({backend}), commit {info['commit']}", "",
            f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. "
            f"Other processes used {before:.2f} CPUs before and {after:.2f} after the timing. "
            f"{args.people:,} people in 1,600 grids of 8 districts, {doses:,} doses. "
            f"`service.coverage` in-process, one session per call, {args.runs} runs after a "
            f"warm-up.", "",
            "| measure | median ms | p99 ms |", "|---|---|---|", *lines, "",
            f"- Coverage by district and age band under 500 ms: **{verdict}** "
            f"({city:.0f} ms median).", "",
        ]))  # fmt: skip
    return 0


if __name__ == "__main__":
    os.environ.setdefault("FANGKONG_LOG_LEVEL", "WARNING")
    raise SystemExit(main())
