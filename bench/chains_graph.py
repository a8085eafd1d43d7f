"""The chain graph's data (传播链) at outbreak size, on SQLite and on PostgreSQL.

For each database — a fresh SQLite file in ``bench/.work/`` and a fresh PostgreSQL database
(``--postgres-database``, default ``fangkong_bench_chains``; dropped afterwards) — it migrates
and inserts with Core bulk inserts ``--cases`` cases (default 5,000) in 50 clusters, an
infector link for about four cases in five, and ``--contacts`` contacts (default 20,000), each
linked to one case (a fifth of them to a second case too). Then it times
``fangkong.cases.chains.service.graph`` as a city admin's request would run it (the whole
city, no filter: the largest answer), best and median of ``--runs`` runs, and the size of the
compact JSON. Goal (issue 9): the graph data of 5,000 cases and 20,000 contacts in < 1 s.

It prints the figures and appends a dated section to ``bench/BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

import report
from fangkong.cases.chains import service
from fangkong.core.principal import SYSTEM
from fangkong.db import Database, make_engine
from fangkong.migrate import upgrade
from fangkong.models import Person, Region
from fangkong.models.cases import Case, CaseLink, Cluster
from fangkong.models.contacts import Contact, ContactLink

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
CODES = ("230102", "230102001", "230102001002", "230102001002003")
LEVELS = {6: "district", 9: "street", 12: "community", 15: "grid"}
GRID = CODES[-1]
T0 = datetime(2022, 11, 1, tzinfo=UTC)
BATCH = 5_000


def _bulk(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[start : start + BATCH])


def _regions(session: Any) -> None:
    for code in (c for c in CODES if session.get(Region, c) is None):
        parent = code[:-3] if len(code) > 6 else None
        session.add(Region(code=code, name=f"区划{code[-3:]}", level=LEVELS[len(code)],
                           parent_code=parent))  # fmt: skip
    session.flush()


def _people(session: Any, count: int) -> None:
    rows = [{"id": i + 1, "name": f"居民{i}", "id_number_enc": b"x", "id_number_hash": f"h{i}",
             "id_number_masked": "2301**********0000", "sex": "1",
             "birth_date": date(1980, 1, 1), "grid_code": GRID} for i in range(count)]  # fmt: skip
    _bulk(session, Person, rows)


def _cases(session: Any, cases: int, rng: random.Random) -> None:
    _bulk(session, Cluster, [{"id": g + 1, "name": f"聚集{g}", "region_code": GRID, "note": ""}
                             for g in range(50)])  # fmt: skip
    rows = []
    for i in range(cases):
        at = T0 + timedelta(minutes=10 * i)
        rows.append({
            "id": i + 1, "case_no": f"B-{i:06d}", "person_id": i + 1,
            "kind": rng.choice(("confirmed", "asymptomatic", None)), "source": "nat",
            "channel": "community_screening", "local": True, "sampled_at": at,
            "confirmed_at": at, "reported_on": at.date(), "status": "active", "hospital": "",
            "region_code": GRID, "cluster_id": rng.randint(1, 50), "edition_id": "bench",
            "note": "", "created_at": at, "updated_at": at,
        })  # fmt: skip
    _bulk(session, Case, rows)
    links = [{"infector_id": rng.randint(max(1, i - 200), i - 1), "infectee_id": i,
              "via": "household", "certainty": "probable", "note": ""}
             for i in range(2, cases + 1) if rng.random() < 0.8]  # fmt: skip
    _bulk(session, CaseLink, links)


def _contacts(session: Any, cases: int, contacts: int, rng: random.Random) -> None:
    rows = [{"id": k + 1, "person_id": cases + k + 1, "degree": rng.choice(("close", "secondary")),
             "status": "confirmed", "is_open": True, "first_exposure_at": T0,
             "last_exposure_at": T0, "region_code": GRID, "owner_region": CODES[0],
             "edition_id": "bench", "reject_reason": "", "created_at": T0}
            for k in range(contacts)]  # fmt: skip
    _bulk(session, Contact, rows)
    links = []
    for k in range(contacts):
        named = {rng.randint(1, cases)}
        if k % 5 == 0:
            named.add(rng.randint(1, cases))
        links.extend(
            {"contact_id": k + 1, "case_id": case_id, "reason": "household",
             "exposure_start_at": T0, "exposure_end_at": T0, "evidence": {}}
            for case_id in named
        )  # fmt: skip
    _bulk(session, ContactLink, links)


def _world(database: Database, cases: int, contacts: int) -> None:
    rng = random.Random(9)
    with database.sessions() as session:
        _regions(session)
        _people(session, cases + contacts)
        _cases(session, cases, rng)
        _contacts(session, cases, contacts, rng)
        session.commit()


def run(url: str, cases: int, contacts: int, runs: int) -> dict[str, float]:
    upgrade(url)
    database = Database(make_engine(url))
    _world(database, cases, contacts)
    if url.startswith("postgresql"):
        with database.sessions() as session:
            session.execute(text("ANALYZE"))
            session.commit()
    times, size, serialise = [], 0, 0.0
    for _ in range(runs):
        with database.sessions() as session:
            started = time.perf_counter()
            graph = service.graph(session, actor=SYSTEM, where=service.GraphFilter())
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            size = len(graph.model_dump_json())
            serialise = time.perf_counter() - started
    return {"best": min(times), "median": statistics.median(times), "kb": size / 1024,
            "json": serialise, "nodes": len(graph.c) + len(graph.k)}  # fmt: skip


def _postgres(database: str, cases: int, contacts: int, runs: int) -> dict[str, float]:
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        return run(f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}", cases, contacts,
                   runs)  # fmt: skip
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres-database", default="fangkong_bench_chains")
    parser.add_argument("--load", default="quiet machine", help="what else ran meanwhile")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    sqlite_file = WORK / "chains.db"
    sqlite_file.unlink(missing_ok=True)
    figures = {
        "SQLite": run(f"sqlite:///{sqlite_file}", args.cases, args.contacts, args.runs),
        "PostgreSQL": _postgres(args.postgres_database, args.cases, args.contacts, args.runs),
    }
    info = report.machine()
    lines = [
        f"## {info['date']} — commit {info['commit']}: the chain graph of {args.cases:,} cases "
        f"and {args.contacts:,} contacts (bench/chains_graph.py)",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. "
        f"Load: {args.load}.",
        "",
        "| database | nodes | graph data best s | median s | JSON s | JSON KiB | goal < 1 s |",
        "|---|---|---|---|---|---|---|",
        *(f"| {name} | {t['nodes']:,.0f} | {t['best']:.2f} | {t['median']:.2f} | "
          f"{t['json']:.2f} | {t['kb']:,.0f} | {'met' if t['median'] < 1 else 'not met'} |"
          for name, t in figures.items()),
        "",
    ]  # fmt: skip
    print("\n".join(lines))
    report.append(HERE / "BENCHMARKS.md", "\n".join(lines))


if __name__ == "__main__":
    main()
