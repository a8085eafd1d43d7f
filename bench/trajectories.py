"""Trajectories and public trajectories: a case's assembled trajectory, a carrier's passenger
list imported (and imported again), and the citizen's self-check.

    .venv/bin/python bench/trajectories.py [--people 20000] [--scans 500000] [--cases 200]
        [--passengers 50000] [--publications 100] [--no-append]

1. A scratch SQLite database (``bench/.work/trajectories.db``, rebuilt each run): ``people``
   rows in one grid (sealed columns filled with placeholders: nothing here opens them),
   venues, and ``--scans`` scans spread over ten days of November 2022.
2. ``trajectory_of`` for ``--cases`` cases of random people (a case row each), one call each
   after 10 warm-up calls: median and p95 in ms.
3. A passenger list of ``--passengers`` rows (phones of registered people and strangers, 50
   trains) through ``importer.import_path``, then the same file again (all unchanged).
4. ``--publications`` publications of five scanned stops each, then ``self_check`` for
   ``--cases`` random people: median and p95 in ms.

Appends a dated section to ``bench/BENCHMARKS.md``. The issue sets no goal for these; a
benchmark reports, it never asserts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

import report
from fangkong.config import Settings
from fangkong.core import security
from fangkong.core.principal import SYSTEM
from fangkong.db import Database, make_engine
from fangkong.migrate import upgrade
from fangkong.models import Person, Region, RegionLevel
from fangkong.models.cases import Case
from fangkong.models.scan import Scan
from fangkong.models.venue import Venue
from fangkong.people.protect import Protector
from fangkong.tracing.public import service as public
from fangkong.tracing.public.schemas import PublicationIn
from fangkong.tracing.trajectories import importer, service

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"
RESULTS = BENCH / "BENCHMARKS.md"
GRID = "230102001002003"
START = datetime(2022, 10, 25, tzinfo=UTC)
BATCH = 20_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=500_000)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--passengers", type=int, default=50_000)
    parser.add_argument("--publications", type=int, default=100)
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


def settings_for(url: str) -> Settings:
    return Settings(env="test", database_url=url, secret_key=security.new_key(),  # type: ignore[arg-type]
                    data_key=security.new_key(), log_json=False)  # fmt: skip


def build_world(db: Database, args: argparse.Namespace, protect: Protector) -> None:
    with db.transaction() as session:
        for code, level in ((GRID[:9], RegionLevel.STREET), (GRID[:12], RegionLevel.COMMUNITY),
                            (GRID, RegionLevel.GRID)):  # fmt: skip
            session.add(Region(code=code, name=code, level=level, parent_code=code[:-3]))
        session.flush()
        people = [{"id": i, "name": f"居民{i}", "id_number_enc": b"-", "id_number_hash": f"h{i}",
                   "id_number_masked": "-", "phone_hash": protect.phone_hash(f"139{i:08d}"),
                   "sex": "1", "birth_date": date(1980, 1, 1), "grid_code": GRID}
                  for i in range(1, args.people + 1)]  # fmt: skip
        for i in range(0, len(people), BATCH):
            session.execute(insert(Person), people[i : i + BATCH])
        session.execute(insert(Venue), [{"id": v, "name": f"场所{v}", "type": "shop",
                                         "region_code": GRID} for v in range(1, 2001)])  # fmt: skip
        rng = random.Random(7)
        for i in range(0, args.scans, BATCH):
            rows = [_scan(rng, args.people) for _ in range(min(BATCH, args.scans - i))]
            session.execute(insert(Scan), rows)


def _scan(rng: random.Random, people: int) -> dict[str, object]:
    at = START + timedelta(seconds=rng.randrange(10 * 86400))
    return {"venue_id": rng.randrange(1, 2001), "person_id": rng.randrange(1, people + 1),
            "region_code": GRID, "scanned_at": at, "decision": "allow", "colour": "green",
            "reasons": [], "source": "bulk"}  # fmt: skip


def make_cases(db: Database, args: argparse.Namespace) -> list[int]:
    rng = random.Random(11)
    sampled = datetime(2022, 11, 3, 0, tzinfo=UTC)
    with db.transaction() as session:
        cases = [Case(case_no=f"B-{n}", person_id=rng.randrange(1, args.people + 1),
                      kind="asymptomatic", source="nat", channel="other", sampled_at=sampled,
                      confirmed_at=sampled + timedelta(hours=6), reported_on=date(2022, 11, 3),
                      region_code=GRID, edition_id="cn-9th-2022-06")
                 for n in range(args.cases)]  # fmt: skip
        session.add_all(cases)
        session.flush()
        return [case.id for case in cases]


def timed(calls: list[object], run: object) -> tuple[float, float]:
    spent = []
    for item in calls:
        began = time.perf_counter()
        run(item)  # type: ignore[operator]
        spent.append((time.perf_counter() - began) * 1000)
    spent.sort()
    return statistics.median(spent), spent[int(len(spent) * 0.95) - 1]


def bench_trajectories(db: Database, case_ids: list[int]) -> tuple[float, float, float]:
    with db.sessions() as session:

        def run(case_id: object) -> int:
            return len(service.trajectory_of(session, actor=SYSTEM, case_id=int(case_id)))  # type: ignore[call-overload]

        for case_id in case_ids[:10]:
            run(case_id)
        stops = statistics.mean(run(c) for c in case_ids)
        median, p95 = timed(list(case_ids), run)
    return median, p95, stops


def write_list(path: Path, rows: int, people: int) -> None:
    rng = random.Random(5)
    lines = (f"火车,G{rng.randrange(1, 51)},2022-11-0{rng.randrange(1, 4)},"
             f"{rng.randrange(1, 17):02d}车{rng.randrange(1, 21)}A,"
             f"139{rng.randrange(1, people * 2):08d}" for _ in range(rows))  # fmt: skip
    path.write_text(
        "交通方式,班次/车次,日期,座位,手机号\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


def bench_import(db: Database, settings: Settings, path: Path) -> list[tuple[float, object]]:
    found = []
    for _ in range(2):
        began = time.perf_counter()
        with db.transaction() as session:
            result = importer.import_path(session, settings, actor=SYSTEM, path=path)
        found.append((time.perf_counter() - began, result))
    return found


def bench_self_check(
    db: Database, args: argparse.Namespace, case_ids: list[int]
) -> tuple[float, float]:
    with db.transaction() as session:
        for case_id in case_ids[: args.publications]:
            stops = service.trajectory_of(session, actor=SYSTEM, case_id=case_id)
            refs = [s.ref for s in stops if s.source == "scan"][:5]
            if refs:
                public.publish(
                    session, actor=SYSTEM, data=PublicationIn(case_id=case_id, refs=refs)
                )
    people = random.Random(3).sample(range(1, args.people + 1), args.cases)
    with db.sessions() as session:
        return timed(list(people), lambda p: public.self_check(session, person_id=int(p)))  # type: ignore[arg-type]


def main() -> None:
    args = parse_args()
    WORK.mkdir(exist_ok=True)
    path = WORK / "trajectories.db"
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    upgrade(url)
    settings = settings_for(url)
    db = Database(make_engine(url))
    built = time.perf_counter()
    build_world(db, args, Protector(settings.data_key_bytes))
    case_ids = make_cases(db, args)
    print(f"world built in {time.perf_counter() - built:.1f} s")
    trajectory = bench_trajectories(db, case_ids)
    listed = WORK / f"passengers-{args.passengers}.csv"
    write_list(listed, args.passengers, args.people)
    imports = bench_import(db, settings, listed)
    check = bench_self_check(db, args, case_ids)
    section = render(args, trajectory, imports, check)
    print(section)
    if not args.no_append:
        report.append(RESULTS, section)


def render(args, trajectory, imports, check) -> str:  # type: ignore[no-untyped-def]
    info = report.machine()
    (first_s, first), (again_s, again) = imports
    rows = [
        (f"trajectory_of, {args.cases} cases (mean {trajectory[2]:.0f} stops)",
         f"median {trajectory[0]:.1f} ms, p95 {trajectory[1]:.1f} ms"),
        (f"passenger list import, {args.passengers:,} rows",
         f"{first_s:.1f} s ({first.accepted:,} accepted, {first.matched:,} matched, "
         f"{first.rejected:,} refused)"),
        ("the same list again",
         f"{again_s:.1f} s ({again.unchanged:,} unchanged, {again.accepted} accepted)"),
        (f"self_check, {args.cases} citizens against {args.publications} publications",
         f"median {check[0]:.1f} ms, p95 {check[1]:.1f} ms"),
    ]  # fmt: skip
    return "\n".join([
        f"## {info['date']} — trajectories and self-check (issue 9), commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. Busy "
        "machine: shared with other engineers' test runs; figures may suffer.",
        f"SQLite scratch world: {args.people:,} people, {args.scans:,} scans over 10 days, "
        "2,000 venues.",
        "",
        "| measure | figure |",
        "|---|---|",
        *(f"| {name} | {figure} |" for name, figure in rows),
        "",
    ])  # fmt: skip


if __name__ == "__main__":
    main()
