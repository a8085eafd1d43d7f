"""Screening's lists at Harbin's volume (issue 8: 60,000 arrivals a day, every list page
under 200 ms). Never asserts a time.

    .venv/bin/python bench/arrivals_lists.py [--database-url URL] [--trips 200000]
        [--runs 50] [--explain] [--no-append]

The world (``bench/.work/arrivals/``, rebuilt when the size or the shape changes): the
migrations' schema; 6 districts x 5 streets x 4 communities x 5 grids; one person per trip;
``--trips`` trips at 60,000 a day ending at the last second of a local day (Asia/Shanghai),
each with a landing test and a screening (``--trips 200000``: about 400,000 tasks). Older
tasks are mostly done, the last day's mostly open, some overdue and escalated. All rows go in
with Core bulk inserts.

Each run freezes the clock at the world's end, so that "today" always holds a whole day of
arrivals (the heaviest case of the overview) and "yesterday" a whole day of deadlines, however
old the world is and whatever the hour. It times, over ``--runs`` calls, the services behind
the screening routes as a grid worker, a street officer, a district officer and the city admin
(the API adds its JSON encoding, which is the same for every list): the to-do list (first page
of 50), the overdue lists per level, the accountability report, the daily figures and the
overview. It prints p50/p99 wall time and the p50 CPU time of this process (on SQLite all of
the work; on PostgreSQL the server's share is not in it) and appends a dated section to
``bench/BENCHMARKS.md``; ``--explain`` prints the plan of every statement the figures run as
the city admin, and of the to-do list's query for each caller.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, select, text

import cpu
import fixture
import report

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work" / "arrivals"
RESULTS = BENCH / "BENCHMARKS.md"
GOAL_MS = 200.0
PER_DAY = 60_000
CHUNK = 20_000
DISTRICTS = ("230102", "230103", "230104", "230108", "230109", "230110")
STREETS, COMMUNITIES, GRIDS = 5, 4, 5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--trips", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    if args.database_url is None:
        args.database_url = f"sqlite:///{WORK / f'world-{args.trips}.db'}"
    return args


def environment(url: str) -> dict[str, str]:
    """Keys kept beside the world (the people's numbers are encrypted with them)."""
    return fixture.kept_keys_env(WORK / "keys.env", url)


def fangkong(env: dict[str, str], *args: str) -> None:
    command = [str(Path(sys.executable).with_name("fangkong")), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=WORK)
    if done.returncode != 0:
        raise RuntimeError(f"fangkong {' '.join(args)} exited {done.returncode}: {done.stderr}")


def grids() -> list[str]:
    return [f"{d}{s:03d}{c:03d}{g:03d}" for d in DISTRICTS for s in range(1, STREETS + 1)
            for c in range(1, COMMUNITIES + 1) for g in range(1, GRIDS + 1)]  # fmt: skip


def region_rows(now: datetime) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for grid in grids():
        for digits, level in ((9, "street"), (12, "community"), (15, "grid")):
            code = grid[:digits]
            rows[code] = {"code": code, "name": f"{level}{code[-3:]}", "level": level,
                          "parent_code": code[:-3], "created_at": now}  # fmt: skip
    return sorted(rows.values(), key=lambda r: len(r["code"]))


def world_end() -> datetime:
    """The last second of yesterday (local): the instant the world ends and the clock stops."""
    from fangkong.core import clock  # noqa: PLC0415

    midnight = datetime.combine(clock.local_today(), clock_time(0), tzinfo=clock.LOCAL_TZ)
    return (midnight - timedelta(seconds=1)).astimezone(UTC)


def built_end(engine: Engine, trips: int) -> datetime | None:
    """The end of the stored world, or None when it is not a world of ``trips`` trips ending
    at the last second of a local day."""
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.models.arrivals import Trip  # noqa: PLC0415

    with engine.connect() as connection:
        count, end = connection.execute(select(func.count(), func.max(Trip.arrived_at))).one()
    if count != trips or end is None:
        return None
    end = end.replace(tzinfo=UTC) if end.tzinfo is None else end.astimezone(UTC)
    local = end.astimezone(clock.LOCAL_TZ)
    return end if (local.hour, local.minute, local.second) == (23, 59, 59) else None


def build(engine: Engine, env: dict[str, str], trips: int) -> datetime:
    """Build the world unless it is there; its end (the frozen "now" of every run)."""
    from fangkong.models import Person, Region  # noqa: PLC0415
    from fangkong.models.arrivals import ArrivalTask, Trip  # noqa: PLC0415

    fangkong(env, "db", "upgrade")
    end = built_end(engine, trips)
    if end is not None:
        analyze(engine)  # a migration may have added indexes since the world was built
        return end
    started = time.perf_counter()
    now = world_end()
    with engine.begin() as connection:
        tables = ("arrival_tasks", "arrival_reports", "trips", "people")
        if engine.dialect.name == "sqlite":
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
        else:  # a DELETE would check every foreign key to people row by row (minutes)
            connection.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        connection.execute(text("DELETE FROM regions WHERE length(code) > 6"))
        connection.execute(insert(Region), region_rows(now))
    cells, rng = grids(), random.Random(8)
    for first in range(1, trips + 1, CHUNK):
        last = min(trips, first + CHUNK - 1)
        people, trip_rows, tasks = [], [], []
        for n in range(first, last + 1):
            grid = cells[rng.randrange(len(cells))]
            arrived = now - timedelta(days=(trips - n) / PER_DAY)
            people.append({"id": n, "name": f"抵返{n}", "id_type": "resident_id",
                           "id_number_enc": b"x", "id_number_hash": f"h{n}",
                           "id_number_masked": "2301**********0000", "sex": "1",
                           "birth_date": datetime(1980, 1, 1).date(), "grid_code": grid,
                           "status": "active", "created_at": now, "updated_at": now,
                           "phone_masked": "139****0000"})  # fmt: skip
            trip_rows.append({"id": n, "person_id": n, "origin_province": "北京市",
                              "origin_city": "北京市", "origin_district": "朝阳区",
                              "origin_code": "110105", "arrived_at": arrived,
                              "channels": ["self"], "report_count": 1,
                              "grade": rng.choice(("none", "none", "none", "low", "high")),
                              "matched_area_ids": [], "measure": "none", "test_days": [],
                              "edition_id": "harbin-2022-12", "grid_code": grid,
                              "status": "open", "created_at": arrived,
                              "classified_at": arrived})  # fmt: skip
            tasks += [arrival_task(2 * n - 1, n, "landing_test", grid, arrived, now, rng),
                      arrival_task(2 * n, n, "screening", grid, arrived, now, rng)]  # fmt: skip
        with engine.begin() as connection:
            connection.execute(insert(Person), people)
            connection.execute(insert(Trip), trip_rows)
            connection.execute(insert(ArrivalTask), tasks)
        print(f"  trips: {last:,}", flush=True)
    analyze(engine)
    print(f"  world: {time.perf_counter() - started:.1f} s", flush=True)
    return now


def analyze(engine: Engine) -> None:
    """Planner statistics; on PostgreSQL also the visibility map (``VACUUM``), which a live
    database's autovacuum keeps after inserts, so that index-only scans are as they would be."""
    statement = "ANALYZE" if engine.dialect.name == "sqlite" else "VACUUM ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))


def arrival_task(
    task_id: int, trip: int, kind: str, grid: str, arrived: datetime, now: datetime,
    rng: random.Random, person: int | None = None,
) -> dict[str, Any]:  # fmt: skip
    """A landing test or screening of the trip, answered (or escalated) as a day's work goes;
    its person the trip's number unless named."""
    due = arrived + timedelta(hours=24)
    answered = rng.random() < (0.95 if due < now - timedelta(hours=12) else 0.5)
    done_at = arrived + timedelta(hours=rng.uniform(1, 30)) if answered else None
    if done_at is not None and done_at > now:
        done_at = None
    escalation = "none"
    if done_at is None and kind == "screening" and due < now:
        escalation = "district" if due < now - timedelta(hours=12) else "street"
    return {"id": task_id, "trip_id": trip, "person_id": trip if person is None else person,
            "kind": kind, "grid_code": grid, "arrived_at": arrived,
            "due_at": due, "status": "done" if done_at else "open", "done_at": done_at,
            "note": "", "escalation": escalation, "created_at": arrived,
            "escalated_at": due if escalation != "none" else None}  # fmt: skip


def callers() -> dict[str, Any]:
    from fangkong.core.principal import Principal  # noqa: PLC0415

    grid = grids()[0]
    return {name: Principal(id=1, username=name, role=role, region_code=code)
            for name, role, code in (("grid worker", "grid_worker", grid),
                                     ("street officer", "street_officer", grid[:9]),
                                     ("district officer", "district_officer", grid[:6]),
                                     ("city admin", "city_admin", "230100"))}  # fmt: skip


def calls(today: Any) -> list[tuple[str, str, Callable[[Any, Any], Any]]]:
    from fangkong.arrivals.screening import reports, service  # noqa: PLC0415
    from fangkong.arrivals.screening.schemas import Level  # noqa: PLC0415
    from fangkong.core.pagination import PageParams  # noqa: PLC0415

    page = PageParams(limit=50)
    todo = service.TaskFilter()
    overdue_tasks = service.TaskFilter(kind="screening", overdue=True)
    out: list[tuple[str, str, Callable[[Any, Any], Any]]] = []
    for who in ("grid worker", "street officer", "district officer", "city admin"):
        out.append(("GET /arrivals/tasks (to-do, 50)", who, lambda s, a: service.list_tasks(
            s, actor=a, where=todo, page=page)))  # fmt: skip
        out.append(("GET /arrivals/tasks?overdue (50)", who, lambda s, a: service.list_tasks(
            s, actor=a, where=overdue_tasks, page=page)))  # fmt: skip
        out.append(("GET /arrivals/overview", who,
                    lambda s, a: reports.overview(s, actor=a)))  # fmt: skip
    for who in ("district officer", "city admin"):
        for level in Level:
            out.append((f"GET /arrivals/overdue?level={level.value}", who,
                        lambda s, a, lv=level: reports.overdue(s, actor=a, level=lv)))  # fmt: skip
        out.append(("GET /arrivals/accountability (yesterday)", who, lambda s, a:
                    reports.accountability(s, actor=a, day=today - timedelta(days=1))))  # fmt: skip
        out.append(("GET /arrivals/figures (yesterday)", who, lambda s, a:
                    reports.figures(s, actor=a, day=today - timedelta(days=1))))  # fmt: skip
    return out


Timing = tuple[str, str, float, float, float]  # list, caller, p50, p99, CPU p50 (ms)


def timed(url: str, runs: int, end: datetime) -> list[Timing]:
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.db import Database, make_engine  # noqa: PLC0415

    db = Database(make_engine(url))
    people = callers()
    rows = []
    with clock.frozen(end):
        for name, who, call in calls(clock.local_today()):
            spent, cpu = [], []
            with db.transaction() as session:
                call(session, people[who])  # warm
                for _ in range(runs):
                    started, started_cpu = time.perf_counter(), time.process_time()
                    call(session, people[who])
                    spent.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                    session.expire_all()
            spent.sort()
            p50, cpu50 = statistics.median(spent), statistics.median(cpu)
            p99 = spent[min(len(spent) - 1, int(len(spent) * 0.99))]
            rows.append((name, who, p50, p99, cpu50))
            print(f"  {name:<42} {who:<17} p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                  f"CPU {cpu50:6.1f} ms", flush=True)  # fmt: skip
    db.engine.dispose()
    return rows


def explain(url: str, end: datetime) -> None:
    from fangkong.arrivals.screening import repository  # noqa: PLC0415
    from fangkong.arrivals.screening.repository import TaskFilter  # noqa: PLC0415
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.db import make_engine  # noqa: PLC0415

    engine = make_engine(url)
    prefix = "EXPLAIN QUERY PLAN " if url.startswith("sqlite") else "EXPLAIN ANALYZE "
    with clock.frozen(end):
        explain_figures(engine, prefix)
    for who, actor in callers().items():
        statement = repository.tasks_statement(actor.region_code, TaskFilter(), clock.now())
        statement = statement.order_by(text("arrival_tasks.due_at"), text("arrival_tasks.id"))
        compiled = statement.limit(51).compile(engine, compile_kwargs={"literal_binds": True})
        with engine.connect() as connection:
            plan = connection.execute(text(prefix + str(compiled))).all()
        print(f"--- {who}")
        for line in plan:
            print("   ", " | ".join(str(cell) for cell in line))
    engine.dispose()


def explain_figures(engine: Engine, prefix: str) -> None:
    """The plan of every statement the overview, overdue lists, accountability report and
    figures run as the city admin (the statements are caught as they run, then explained)."""
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.db import Database  # noqa: PLC0415

    admin = callers()["city admin"]
    seen: list[tuple[str, Any]] = []

    def catch(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    db = Database(engine)
    for name, who, call in calls(clock.local_today()):
        if who != "city admin" or "/tasks" in name:
            continue
        seen.clear()
        event.listen(engine, "before_cursor_execute", catch)
        try:
            with db.transaction() as session:
                call(session, admin)
        finally:
            event.remove(engine, "before_cursor_execute", catch)
        for statement, parameters in seen:
            with engine.connect() as connection:
                cursor = connection.connection.cursor()
                cursor.execute(prefix + statement, parameters)
                plan = cursor.fetchall()
                with contextlib.suppress(Exception):
                    cursor.close()
            print(f"--- {name} (city admin): {' '.join(statement.split())[:160]}")
            for line in plan:
                print("   ", " | ".join(str(cell) for cell in line))


def section(args: argparse.Namespace, rows: list[Timing], load: str) -> str:
    info = report.machine()
    backend = "SQLite" if args.database_url.startswith("sqlite") else "PostgreSQL"
    worst = max(rows, key=lambda r: r[3])
    verdict = "met" if worst[3] < GOAL_MS else "not met"
    table = ["| list | caller | p50 ms | p99 ms | CPU p50 ms |", "|---|---|---|---|---|"]
    table += [f"| {n} | {w} | {p50:.1f} | {p99:.1f} | {cpu:.1f} |" for n, w, p50, p99, cpu in rows]
    return "\n".join([
        f"## {info['date']} — screening lists, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, "
        f"{cpu.reference_text()}. {backend}; {args.trips:,} trips at {PER_DAY:,} a day, "
        f"{2 * args.trips:,} tasks "
        f"(`bench/arrivals_lists.py`); the services behind the routes, {args.runs} calls each, "
        f"the clock frozen at the end of a whole day of arrivals. Load average before: {load}. "
        "CPU: this process's (on PostgreSQL the server's is not in it).",
        "",
        *table,
        "",
        f"- Every list under {GOAL_MS:.0f} ms (p99): **{verdict}** (worst: {worst[0]} as "
        f"{worst[1]}, p99 {worst[3]:.1f} ms).",
        "",
    ])  # fmt: skip


def main() -> int:
    args = parse_args()
    env = environment(args.database_url)
    os.environ.update(env)
    engine = create_engine(args.database_url)
    try:
        end = build(engine, env, args.trips)
    finally:
        engine.dispose()
    if args.explain:
        explain(args.database_url, end)
    load = "{:.1f} / {:.1f} / {:.1f}".format(*os.getloadavg()) + f" on {os.cpu_count()} CPUs"
    print(f"  load average before: {load}", flush=True)
    rows = timed(args.database_url, args.runs, end)
    if not args.no_append:
        report.append(RESULTS, section(args, rows, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
