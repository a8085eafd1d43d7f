"""Contact tracing on the scan world: the venue-overlap contacts of one case, and a day of new
cases traced end to end.

    .venv/bin/python bench/contacts_trace.py [--database-url URL] [--queries 200]
        [--cases 300] [--no-append] [world options of scan_world.py: --people --scans ...]

1. Venue overlap: for random scans of the world (``bench/scan_world.py``), a case of that
   person sampled two hours later: ``fangkong.tracing.contacts.candidates.venue`` over the
   case's trace-back window (the edition's days before the sample day, until the report),
   with the edition's ± same-place minutes; one session per call, 20 warm-up calls first.
   Goal (issue 9): under 100 ms at 1,000,000 people and 30,000,000 scans.
2. A day of ``--cases`` new cases: ``cases`` rows published ``--per-upload`` at a time as one
   ``CasesReported`` each, as a lab upload's positives are (the handlers of every domain run:
   candidates generated here, quarantine …), then
   every candidate confirmed in bulk (``ContactConfirmed``: quarantine places the person when
   its handler is present), in one transaction that is rolled back at the end, so the world
   stays as it was. Goal: under 10 s for 300 cases.

Reported as met or not; never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

import cpu
import report
import scan_world

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "BENCHMARKS.md"
VENUE_GOAL_MS, DAY_GOAL_S = 100.0, 10.0
WARMUP = 20
BATCH = 2000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    scan_world.add_world_args(parser)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument(
        "--per-upload",
        type=int,
        default=50,
        help="cases per lab upload (one CasesReported each); 1: one at a time",
    )
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


def random_scans(
    session: Any, how_many: int, seed: int, share: float = 1.0
) -> list[tuple[int, datetime]]:
    """(person_id, scanned_at) of random scans among the latest ``share`` of them, by random
    ids (the ids are dense and follow time)."""
    from fangkong.models.scan import Scan  # noqa: PLC0415

    rng = random.Random(seed)
    top = int(session.execute(text("SELECT max(id) FROM scans")).scalar_one())
    first = max(1, top - int(top * share))
    ids = {rng.randint(first, top) for _ in range(how_many * 2)}
    rows = session.execute(select(Scan.person_id, Scan.scanned_at).where(Scan.id.in_(ids))).all()
    picked = list({int(p): t for p, t in rows}.items())
    rng.shuffle(picked)
    return picked[:how_many]


def case_window(edition: Any, sampled: datetime) -> tuple[datetime, datetime]:
    from fangkong.core import clock  # noqa: PLC0415

    day = sampled.astimezone(clock.LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    start = day - timedelta(days=edition.contacts.trace_back_days_before_onset)
    return start, sampled + timedelta(hours=6)


def measure_venue(db: Any, queries: int) -> tuple[float, float, float, int]:
    """(p50 ms, p99 ms, mean candidates, calls)."""
    from fangkong.healthcode.service import current_edition  # noqa: PLC0415
    from fangkong.tracing.contacts import candidates  # noqa: PLC0415

    with db.sessions() as session:
        sample = random_scans(session, queries + WARMUP, seed=9)
        edition = current_edition(session)
    margin = timedelta(minutes=edition.contacts.same_place_window_minutes)
    laps, found = [], []
    for n, (person_id, at) in enumerate(sample):
        start, end = case_window(edition, at + timedelta(hours=2))
        began = time.perf_counter()
        with db.sessions() as session:
            result = candidates.venue(session, person_id, start, end, margin)
        if n >= WARMUP:
            laps.append((time.perf_counter() - began) * 1000)
            found.append(len({c.person_id for c in result}))
    p99 = statistics.quantiles(laps, n=100)[98] if len(laps) > 1 else laps[0]
    return statistics.median(laps), p99, statistics.fmean(found), len(laps)


def report_cases(session: Any, how_many: int, per_upload: int) -> list[int]:
    """``how_many`` cases of random people with scans, reported ``per_upload`` at a time (one
    ``CasesReported`` per lab upload, as the upload path publishes them)."""
    from fangkong.cases.events import CaseReported, CasesReported  # noqa: PLC0415
    from fangkong.core import clock, events  # noqa: PLC0415
    from fangkong.healthcode.service import current_edition  # noqa: PLC0415
    from fangkong.models import Person  # noqa: PLC0415
    from fangkong.models.cases import Case  # noqa: PLC0415

    edition = current_edition(session)
    made: list[int] = []
    upload: list[CaseReported] = []
    latest_day = 1 / 28  # the day's cases: people scanned in the world's last day
    for n, (person_id, at) in enumerate(random_scans(session, how_many, 5, latest_day)):
        grid = session.execute(select(Person.grid_code).where(Person.id == person_id)).scalar_one()
        sampled = at + timedelta(hours=2)
        case = Case(case_no=f"BENCH-{n:05d}", person_id=person_id, kind="asymptomatic",
                    source="nat", channel="community_screening", sampled_at=sampled,
                    confirmed_at=sampled + timedelta(hours=6), status="active",
                    reported_on=sampled.astimezone(clock.LOCAL_TZ).date(), region_code=grid,
                    edition_id=edition.id)  # fmt: skip
        session.add(case)
        session.flush()
        upload.append(CaseReported(case.id, person_id, case.kind, sampled, None, grid,
                                   case.channel))  # fmt: skip
        made.append(case.id)
        if len(upload) == per_upload or len(made) == how_many:
            events.publish(session, CasesReported(tuple(upload)))
            upload.clear()
            print(f"  {len(made)} cases reported", flush=True)
    return made


def confirm_all(session: Any, case_ids: list[int]) -> int:
    from fangkong.auth.permissions import ROLE_PERMISSIONS, Role  # noqa: PLC0415
    from fangkong.core.principal import Principal  # noqa: PLC0415
    from fangkong.models.contacts import Contact, ContactLink  # noqa: PLC0415
    from fangkong.tracing.contacts import service  # noqa: PLC0415
    from fangkong.tracing.contacts.schemas import Action, DecisionIn  # noqa: PLC0415

    admin = Principal(id=None, username="bench", role="city_admin", region_code="230100",
                      permissions=frozenset(ROLE_PERMISSIONS[Role.CITY_ADMIN]))  # fmt: skip
    linked = select(ContactLink.contact_id).where(ContactLink.case_id.in_(case_ids))
    ids = list(session.scalars(select(Contact.id).where(
        Contact.id.in_(linked), Contact.status == "candidate")))  # fmt: skip
    print(f"  {len(ids):,} candidates to confirm", flush=True)
    for first in range(0, len(ids), BATCH):
        data = DecisionIn(action=Action.CONFIRM, ids=ids[first : first + BATCH])
        service.decide(session, actor=admin, data=data)
        print(f"  {min(first + BATCH, len(ids)):,} confirmed", flush=True)
    return len(ids)


@dataclass(frozen=True)
class Day:
    seconds: float
    cpu_seconds: float  # this process's: on SQLite the database works inside it
    report_cpu_seconds: float  # of which reporting the cases (their candidates generated)
    cases: int
    confirmed: int
    placed: int


def measure_day(db: Any, how_many: int, per_upload: int) -> Day:
    """A day of cases reported and their candidates confirmed, everything rolled back. On
    SQLite the database works inside this process, so the CPU seconds are the work itself,
    whatever else the machine is doing."""
    from fangkong.models.quarantine import Placement  # noqa: PLC0415

    with db.sessions() as session:
        before = session.scalar(select(text("count(*)")).select_from(Placement))
        began, cpu_began = time.perf_counter(), time.process_time()
        case_ids = report_cases(session, how_many, per_upload)
        reported = time.process_time() - cpu_began
        print(f"  reported and generated: {time.perf_counter() - began:.1f} s", flush=True)
        confirmed = confirm_all(session, case_ids)
        session.flush()
        seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu_began
        placed = session.scalar(select(text("count(*)")).select_from(Placement)) - before
        session.rollback()
    return Day(seconds, cpu_seconds, reported, len(case_ids), confirmed, placed)


def section(world: Any, args: argparse.Namespace, venue: tuple[float, ...],
            day: Day, other: float) -> str:  # fmt: skip
    info = report.machine()
    p50, p99, mean, calls = venue
    seconds, cases = day.seconds, day.cases
    backend = "SQLite" if world.url.startswith("sqlite") else "PostgreSQL"
    busy = ", unreliable (busy machine)" if other >= cpu.QUIET_CPUS else ""
    full = world.people >= 1_000_000 and world.scans >= 30_000_000
    scale = "" if full else " (a smaller world than the goal's: not a verdict on it)"
    venue_ok = "met" if p99 < VENUE_GOAL_MS else "not met"
    day_ok = "met" if seconds < DAY_GOAL_S and cases >= 300 else "not met"
    return "\n".join([
        f"## {info['date']} — contacts tracing, {backend}, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}. World "
        f"(`bench/scan_world.py`): {world.people:,} people, {world.venues:,} venues, "
        f"{world.scans:,} scans over {args.days} days (`bench/contacts_trace.py`); other "
        f"processes used {other:.2f} CPUs meanwhile.",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| venue-overlap contacts of one case, p50 / p99 ms ({calls} cases) "
        f"| {p50:.1f} / {p99:.1f} |",
        f"| candidates per case (mean) | {mean:.1f} |",
        f"| {cases} cases reported ({args.per_upload} per upload) → candidates → confirmed, s "
        f"| {seconds:.2f} |",
        f"| the same, CPU seconds of the benchmark process | {day.cpu_seconds:.2f} |",
        f"| of which reporting the cases (candidates generated), CPU s "
        f"| {day.report_cpu_seconds:.2f} |",
        f"| contacts confirmed / placements made | {day.confirmed:,} / {day.placed:,} |",
        "",
        f"- Venue overlap < {VENUE_GOAL_MS:.0f} ms: **{venue_ok}{busy}**{scale}.",
        f"- {cases} cases end to end < {DAY_GOAL_S:.0f} s: **{day_ok}{busy}**{scale}.",
        "",
    ])  # fmt: skip


def main() -> int:
    args = parse_args()
    world = scan_world.build(args)
    from fangkong.db import Database, make_engine  # noqa: PLC0415

    db = Database(make_engine(args.database_url))
    cpu.wait_quiet(30)
    own, wall = time.process_time(), time.monotonic()
    with cpu.others_during([]) as others:
        venue = measure_venue(db, args.queries)
        print(f"  venue overlap: p50 {venue[0]:.1f} ms, p99 {venue[1]:.1f} ms", flush=True)
        day = measure_day(db, args.cases, args.per_upload)
    own_cpus = (time.process_time() - own) / (time.monotonic() - wall)
    db.engine.dispose()
    text_ = section(world, args, venue, day, max(0.0, others.cpus - own_cpus))
    print(text_)
    if not args.no_append:
        report.append(RESULTS, text_)
    return 0


if __name__ == "__main__":
    sys.exit(main())
