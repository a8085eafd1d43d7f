"""Bulk room assignment (``POST /api/v1/quarantine/placements/assign``) of many pending
centralized placements in one action, households kept together, on SQLite (and PostgreSQL with
``--postgres``).

It migrates a fresh database in ``bench/.work/``, inserts ``--people`` residents (default 600)
in households of 1 to 4 with one pending centralized placement each (Core bulk inserts), an
isolation site with enough 3-bed rooms, then times, each step committed: the bulk assignment
of every placement; the site list with occupancy; the first page of the placement list. It
prints the seconds and appends a dated section to ``bench/BENCHMARKS.md``. The issue sets no
goal for it: it shows "hundreds in one action" is one request.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

import report
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.db import Database, make_engine
from fangkong.migrate import upgrade
from fangkong.models import Person, Region
from fangkong.models.quarantine import IsolationSite, Placement, Room
from fangkong.quarantine.placements import service as placements
from fangkong.quarantine.placements.schemas import BulkAssign
from fangkong.quarantine.sites import service as sites

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
CODES = ("230102", "230102001", "230102001002", "230102001002003")
LEVELS = {6: "district", 9: "street", 12: "community", 15: "grid"}
ACTOR = Principal(id=None, username="bench", role="city_admin", region_code="230100")
DAY0 = datetime(2022, 11, 2, 12, tzinfo=UTC)


def _regions(session) -> None:  # type: ignore[no-untyped-def]
    for code in (c for c in CODES if session.get(Region, c) is None):
        parent = code[:-3] if len(code) > 6 else None
        session.add(
            Region(code=code, name=f"区划{code[-3:]}", level=LEVELS[len(code)], parent_code=parent)
        )
    session.flush()


def _world(database: Database, people: int) -> None:
    with database.sessions() as session:
        _regions(session)
        rows = [
            {
                "name": f"隔离{i}",
                "id_number_enc": b"x",
                "id_number_hash": f"q{i}",
                "id_number_masked": "2301**********0000",
                "sex": "1",
                "birth_date": date(1980, 1, 1),
                "grid_code": CODES[-1],
            }
            for i in range(people)
        ]
        session.execute(insert(Person), rows)
        ids = list(session.scalars(select(Person.id).order_by(Person.id)))
        site = IsolationSite(name="基准隔离酒店", kind="hotel", region_code=CODES[0])
        session.add(site)
        session.flush()
        session.execute(
            insert(Room),
            [
                {
                    "site_id": site.id,
                    "number": f"{1000 + n}",
                    "floor": n // 30,
                    "beds": 3,
                    "status": "available",
                }
                for n in range(people)
            ],
        )
        session.execute(insert(Placement), [_placement(pid, n) for n, pid in enumerate(ids)])
        session.commit()


def _placement(person_id: int, n: int) -> dict[str, object]:
    return {
        "person_id": person_id,
        "measure": "centralized",
        "basis": "manual",
        "household_id": n // (1 + n % 4) if n % 5 else None,
        "day0_at": DAY0,
        "starts_at": DAY0,
        "ends_at": DAY0,
        "days": 7,
        "test_days": [],
        "status": "pending",
        "region_code": CODES[-1],
        "edition_id": "cn-9th-2022-06",
        "note": "",
    }


def _timed(database: Database, step: Callable[..., object]) -> float:
    with database.sessions() as session:
        started = time.perf_counter()
        step(session)
        session.commit()
        return time.perf_counter() - started


def run(url: str, people: int) -> dict[str, float]:
    upgrade(url)
    database = Database(make_engine(url))
    _world(database, people)

    def assign(session) -> None:  # type: ignore[no-untyped-def]
        site_id = session.scalar(select(IsolationSite.id))
        ids = list(session.scalars(select(Placement.id)))
        result = placements.assign_bulk(
            session, actor=ACTOR, data=BulkAssign(site_id=site_id, placement_ids=ids)
        )
        assert len(result.assigned) == people, result.unplaced[:3]

    def site_list(session) -> None:  # type: ignore[no-untyped-def]
        sites.list_sites(session, actor=ACTOR, page=PageParams(limit=50), where=sites.SiteFilter())

    def placement_list(session) -> None:  # type: ignore[no-untyped-def]
        placements.list_placements(
            session, actor=ACTOR, page=PageParams(limit=100), where=placements.PlacementFilter()
        )

    return {
        "assign": _timed(database, assign),
        "sites": _timed(database, site_list),
        "list": _timed(database, placement_list),
    }


def _postgres(database: str, people: int) -> dict[str, float]:
    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        return run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}", people)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--postgres-database", default="fangkong_bench_quarantine")
    parser.add_argument("--load", default="quiet machine", help="what else ran meanwhile")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    sqlite_file = WORK / "quarantine.db"
    sqlite_file.unlink(missing_ok=True)
    figures = {"SQLite": run(f"sqlite:///{sqlite_file}", args.people)}
    if args.postgres:
        figures["PostgreSQL"] = _postgres(args.postgres_database, args.people)
    info = report.machine()
    lines = [
        f"## {info['date']} — commit {info['commit']}: bulk room assignment of {args.people:,} "
        "pending placements (bench/quarantine_assign.py)",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. "
        f"Load: {args.load}.",
        "",
        "| database | assign all (one action) s | site list s | placement list (100) s |",
        "|---|---|---|---|",
        *(
            f"| {name} | {t['assign']:.2f} | {t['sites']:.3f} | {t['list']:.3f} |"
            for name, t in figures.items()
        ),
        "",
    ]
    print("\n".join(lines))
    report.append(HERE / "BENCHMARKS.md", "\n".join(lines))


if __name__ == "__main__":
    main()
