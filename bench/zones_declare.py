"""Declaring, downgrading and lifting a sealed zone (封控区) of many residents, on SQLite and on
PostgreSQL.

For each database — a fresh SQLite file in ``bench/.work/`` and a fresh PostgreSQL database
(``--postgres-database``, default ``fangkong_bench_zones``; dropped afterwards) — it migrates,
inserts ``--residents`` people (default 50,000) into one grid with Core bulk inserts, then
times the zones service as an officer's request would run it, each step committed:

1. ``declare``: residents found and listed (INSERT … SELECT), and every resident's code turned
   red (``FactsRaised``: stored and recomputed in bulk by the health-code domain);
2. ``decide(downgrade)``: sealed → controlled, every resident's red ended and yellow raised;
3. ``decide(lift)``: every resident's yellow ended.

It prints the seconds of each step and appends a dated section to ``bench/BENCHMARKS.md``.
There is no goal in the issue for it; it shows a city-sized zone is a request, not a batch job.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, insert, text

import report
from fangkong.arrivals.zones import service
from fangkong.arrivals.zones.schemas import DecisionIn, ZoneCreate
from fangkong.core.principal import Principal
from fangkong.db import Database, make_engine
from fangkong.migrate import upgrade
from fangkong.models import Person, Region

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
CODES = ("230102", "230102001", "230102001002", "230102001002003")
LEVELS = {6: "district", 9: "street", 12: "community", 15: "grid"}
ACTOR = Principal(id=None, username="bench", role="city_admin", region_code="230100")


def _world(database: Database, residents: int) -> None:
    with database.sessions() as session:
        for code in (c for c in CODES if session.get(Region, c) is None):  # districts are seeded
            parent = code[:-3] if len(code) > 6 else None
            session.add(Region(code=code, name=f"区划{code[-3:]}", level=LEVELS[len(code)],
                               parent_code=parent))  # fmt: skip
        session.flush()
        for start in range(0, residents, 10_000):
            rows = [
                {"name": f"居民{i}", "id_number_enc": b"x", "id_number_hash": f"h{i}",
                 "id_number_masked": "2301**********0000", "sex": "1",
                 "birth_date": date(1980, 1, 1), "grid_code": CODES[-1]}
                for i in range(start, min(start + 10_000, residents))
            ]  # fmt: skip
            session.execute(insert(Person), rows)
        session.commit()


def _timed(database: Database, step: Callable[..., object]) -> float:
    with database.sessions() as session:
        started = time.perf_counter()
        step(session)
        session.commit()
        return time.perf_counter() - started


def run(url: str, residents: int) -> dict[str, float]:
    upgrade(url)
    database = Database(make_engine(url))
    _world(database, residents)
    zone_ids: list[int] = []

    def declare(session: object) -> None:
        data = ZoneCreate(name="基准封控区", kind="sealed", region_code=CODES[-1])
        zone_ids.append(service.declare(session, actor=ACTOR, data=data).id)  # type: ignore[arg-type]

    def decide(action: str) -> Callable[[object], None]:
        def step(session: object) -> None:
            data = DecisionIn(action=action, note="基准")  # type: ignore[arg-type]
            service.decide(session, actor=ACTOR, zone_id=zone_ids[0], data=data)  # type: ignore[arg-type]

        return step

    return {
        "declare": _timed(database, declare),
        "downgrade": _timed(database, decide("downgrade")),
        "lift": _timed(database, decide("lift")),
    }


def _postgres(database: str, residents: int) -> dict[str, float]:
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        return run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}", residents)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50_000)
    parser.add_argument("--postgres-database", default="fangkong_bench_zones")
    parser.add_argument("--load", default="quiet machine", help="what else ran meanwhile")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    sqlite_file = WORK / "zones.db"
    sqlite_file.unlink(missing_ok=True)
    figures = {
        "SQLite": run(f"sqlite:///{sqlite_file}", args.residents),
        "PostgreSQL": _postgres(args.postgres_database, args.residents),
    }
    info = report.machine()
    lines = [
        f"## {info['date']} — commit {info['commit']}: a sealed zone of {args.residents:,} "
        "residents (bench/zones_declare.py)",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. "
        f"Load: {args.load}.",
        "",
        "| database | declare (red) s | downgrade (red → yellow) s | lift s |",
        "|---|---|---|---|",
        *(f"| {name} | {t['declare']:.1f} | {t['downgrade']:.1f} | {t['lift']:.1f} |"
          for name, t in figures.items()),
        "",
    ]  # fmt: skip
    print("\n".join(lines))
    report.append(HERE / "BENCHMARKS.md", "\n".join(lines))


if __name__ == "__main__":
    main()
