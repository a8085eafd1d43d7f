"""The command dashboard (指挥大屏) of a city of 1,000,000 people (issue 10: under 200 ms a page).

Usage::

    .venv/bin/python bench/dashboard.py [--runs 50] [--profile] [--no-append]

The world (``bench/.work/dashboard/world.db``, SQLite, built once and reused while its
manifest ``manifest.json`` matches the options; ``--rebuild`` starts again): the migrations'
schema, ``fangkong simulate city --people 1000000 --seed 1`` (18 districts, 2,857 grids), then,
with Core bulk inserts at the instant the world ends (the last second of a local day):

- an outbreak's 5,000 cases over 30 days, growing day by day, on random residents: 60 %
  confirmed, 40 % asymptomatic (a quarter of those converted a few days later), 3 % imported,
  one in ten found at a fever clinic, half among people under control; the older ones mostly
  discharged or released;
- 100,000 placements in force (pending or active, across the four measures) and 60,000
  released ones, then the control counts of ``grid_counts`` recounted by the quarantine
  domain's own ``recount_all``;
- 400 zones in force (40 sealed, 120 controlled, 240 precaution) and 100 lifted;
- one open city screening round (a region row per district) in which 70 % of the residents
  were sampled in 10-in-1 tubes, 80 % of them resulted, one in 1,000 positive (coverage is
  counted from these members, as the round keeps them);
- arrivals of the last three days at 60,000 a day: a trip, its report and its landing test
  and screening (older tasks mostly done, the last day's half open).

Each run freezes the clock at the world's end (so "today" holds a whole day of arrivals and
the dashboard's last day is the day before), then times ``reports.dashboard.dashboard`` in
process (one session per call as a request has; warm-up, then ``--runs`` calls) as the city
admin (the whole city) and as a district officer, and each of its parts for the city admin;
then ``GET /api/v1/reports/dashboard`` (bearer token) and the page ``/reports/dashboard``
(web session cookie) through the app's ``TestClient``, the app started as a served worker
starts (its routes resolved and its heap frozen, ``core.warmup``; the in-process calls run
after the same freeze of this process's heap). Prints p50/p99 and appends a dated
section to ``bench/BENCHMARKS.md``. ``--profile`` prints cProfile's top functions of one city
call. The goal is reported as met or not met, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import fixture  # noqa: E402
from arrivals_lists import arrival_task  # noqa: E402
from cpu import QUIET_CPUS, others_during, reference_text, wait_quiet  # noqa: E402
from report import append, machine  # noqa: E402

WORK = BENCH / ".work" / "dashboard"
RESULTS = BENCH / "BENCHMARKS.md"
GOAL_MS = 200.0
CHUNK = 20_000
EDITION = "harbin-2022-12"
DISTRICT = "230103"  # the most populous district of the simulated city
SHAPE = 3  # bump when the world's contents change
LANDING, SCREENING = "landing_test", "screening"
Timing = tuple[str, str, float, float, float]  # what, caller, p50 ms, p99 ms, p50 CPU ms


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--arrivals-per-day", type=int, default=60_000)
    parser.add_argument("--arrival-days", type=int, default=3)
    parser.add_argument("--sampled", type=float, default=0.7, help="share sampled in the round")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


# --- the world -----------------------------------------------------------------------------------


def environment(url: str) -> dict[str, str]:
    """Keys kept beside the world (the people's numbers are encrypted with them)."""
    return fixture.kept_keys_env(WORK / "keys.env", url)


def fangkong(env: dict[str, str], *args: str) -> None:
    command = [str(Path(sys.executable).parent / "fangkong"), *args]
    subprocess.run(command, env=env, check=True)


def wanted(args: argparse.Namespace) -> dict[str, Any]:
    return {"shape": SHAPE, "people": args.people, "cases": args.cases,
            "placements": args.placements, "arrivals_per_day": args.arrivals_per_day,
            "arrival_days": args.arrival_days, "sampled": args.sampled}  # fmt: skip


def world_end() -> datetime:
    """The last second of yesterday (local): the instant the world ends and the clock stops."""
    from fangkong.core import clock  # noqa: PLC0415

    midnight = datetime.combine(clock.local_today(), clock_time(0), tzinfo=clock.LOCAL_TZ)
    return (midnight - timedelta(seconds=1)).astimezone(UTC)


def bulk(engine: Engine, model: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(model), rows[start : start + CHUNK])


def residents(engine: Engine) -> list[tuple[int, str]]:
    from fangkong.models import Person  # noqa: PLC0415

    with engine.connect() as connection:
        statement = select(Person.id, Person.grid_code).order_by(Person.grid_code, Person.id)
        return [(int(i), str(g)) for i, g in connection.execute(statement)]


def case_rows(people: list[tuple[int, str]], count: int, end: datetime,
              rng: random.Random) -> list[dict[str, Any]]:  # fmt: skip
    """``count`` cases over the 30 days before ``end``, more each day (doubling in ~8 days)."""
    from fangkong.arrivals.zones.service import official_day  # noqa: PLC0415

    weights = [2 ** (d / 8) for d in range(30)]
    channels = ("under_control",) * 10 + ("community_screening",) * 5 + ("fever_clinic",) * 2 + (
        "arrival_screening", "key_group", "other")  # fmt: skip
    rows = []
    for n, (person, grid) in enumerate(rng.sample(people, count), start=1):
        day = rng.choices(range(30), weights)[0]
        at = end - timedelta(days=30 - day) + timedelta(seconds=rng.uniform(0, 86_399))
        kind = "confirmed" if rng.random() < 0.6 else "asymptomatic"
        converted = None
        if kind == "asymptomatic" and rng.random() < 0.25:
            converted = at + timedelta(hours=rng.uniform(24, 96))
            converted = converted if converted < end else None
            kind = "confirmed" if converted else kind
        outcome_at, status = at + timedelta(days=rng.uniform(10, 16)), "active"
        if outcome_at < end:
            status = "discharged" if kind == "confirmed" else "released"
        else:
            outcome_at = None
        rows.append({
            "id": n, "case_no": f"2022-B-{n:06d}", "person_id": person, "kind": kind,
            "severity": "mild", "source": "nat", "channel": rng.choice(channels),
            "local": rng.random() >= 0.03, "sampled_at": at - timedelta(hours=6),
            "confirmed_at": at, "reported_on": official_day(at), "converted_at": converted,
            "status": status, "placement": "hospital" if kind == "confirmed" else "centralized",
            "hospital": "", "transferred_at": at + timedelta(hours=2), "outcome_at": outcome_at,
            "region_code": grid, "edition_id": EDITION, "note": "", "created_at": at,
            "updated_at": at,
        })  # fmt: skip
    return rows


MEASURE_DAYS = {"self_monitor": 7, "home_isolation": 7, "home_monitoring": 7, "centralized": 7}


def placement_rows(people: list[tuple[int, str]], open_: int, released: int, end: datetime,
                   rng: random.Random) -> list[dict[str, Any]]:  # fmt: skip
    measures = ("centralized",) * 3 + ("home_isolation",) * 3 + ("home_monitoring",) * 2 + (
        "self_monitor",) * 2  # fmt: skip
    rows = []
    for n, (person, grid) in enumerate(rng.sample(people, open_ + released), start=1):
        measure = rng.choice(measures)
        in_force = n <= open_
        back = rng.uniform(0, 6.5) if in_force else rng.uniform(8, 28)
        day0 = end - timedelta(days=back)
        days = MEASURE_DAYS[measure]
        status = ("pending" if rng.random() < 0.05 else "active") if in_force else "released"
        rows.append({
            "id": n, "person_id": person, "measure": measure, "basis": "contact",
            "day0_at": day0, "starts_at": day0, "ends_at": day0 + timedelta(days=days),
            "days": days, "test_days": [1, 4, 7], "status": status, "region_code": grid,
            "edition_id": EDITION, "released_at": None if in_force else day0 + timedelta(days=days),
            "note": "", "created_at": day0,
        })  # fmt: skip
    return rows


def zone_rows(grids: list[str], end: datetime, rng: random.Random) -> list[dict[str, Any]]:
    kinds = ["sealed"] * 40 + ["controlled"] * 120 + ["precaution"] * 240 + ["lifted"] * 100
    rows = []
    for n, (kind, grid) in enumerate(zip(kinds, rng.sample(grids, len(kinds)), strict=True), 1):
        lifted = kind == "lifted"
        at = end - timedelta(days=rng.uniform(1, 20))
        rows.append({
            "id": n, "name": f"风险区{n:04d}", "kind": "sealed" if lifted else kind,
            "region_code": grid, "status": "lifted" if lifted else "active", "declared_at": at,
            "kind_since": at, "lifted_at": at + timedelta(days=7) if lifted else None,
            "resident_count": 300, "note": "", "created_at": at,
        })  # fmt: skip
    return rows


def build_round(engine: Engine, people: list[tuple[int, str]], share: float,
                end: datetime) -> None:  # fmt: skip
    """An open city round: ``share`` of the residents in sealed 10-in-1 tubes, 80 % resulted."""
    from fangkong.models.testing import Campaign, CampaignRegion, Tube, TubeMember  # noqa: PLC0415

    districts = sorted({grid[:6] for _, grid in people})
    with engine.begin() as connection:
        campaign_id = connection.execute(insert(Campaign).values(
            name="全市第一轮全员核酸", region_code="230100", starts_on=end.date(),
            ends_on=end.date() + timedelta(days=1), status="open",
            target_population=len(people), created_at=end - timedelta(hours=20),
        )).inserted_primary_key[0]  # fmt: skip
        connection.execute(
            insert(CampaignRegion),
            [{"campaign_id": campaign_id, "region_code": d} for d in districts],
        )
    step = round(1 / (1 - share)) if share < 1 else 0
    sampled = [p for i, p in enumerate(people) if not step or i % step != step - 1]
    sampled = sampled[: int(len(people) * share)]
    tubes, members = [], []
    for n, start in enumerate(range(0, len(sampled), 10), start=1):
        at = end - timedelta(hours=18) + timedelta(seconds=n % 60_000)
        resulted = n % 5 != 0
        result = ("positive" if n % 1000 == 7 else "negative") if resulted else None
        batch = sampled[start : start + 10]
        tubes.append({"id": n, "barcode": f"D{n:011d}", "kind": "pooled", "capacity": 10,
                      "purpose": "screening", "campaign_id": campaign_id,
                      "region_code": batch[0][1][:6], "member_count": len(batch),
                      "status": "resulted" if resulted else "sealed", "opened_at": at,
                      "sampled_at": at, "conflict": False, "result": result})  # fmt: skip
        members += [{"tube_id": n, "person_id": pid, "campaign_id": campaign_id,
                     "grid_code": grid, "sampled_at": at} for pid, grid in batch]  # fmt: skip
    bulk(engine, Tube, tubes)
    bulk(engine, TubeMember, members)


def build_arrivals(engine: Engine, people: list[tuple[int, str]], per_day: int, days: int,
                   end: datetime, rng: random.Random) -> None:  # fmt: skip
    from fangkong.models.arrivals import ArrivalReport, ArrivalTask, Trip  # noqa: PLC0415

    total = per_day * days
    travellers = rng.sample(people, total)
    for first in range(0, total, CHUNK):
        trips, reports, tasks = [], [], []
        for n in range(first + 1, min(total, first + CHUNK) + 1):
            person, grid = travellers[n - 1]
            arrived = end - timedelta(days=(total - n) / per_day)
            channel = rng.choice(("self", "self", "pushed", "checkpoint"))
            trips.append({"id": n, "person_id": person, "origin_province": "北京市",
                          "origin_city": "北京市", "origin_district": "朝阳区",
                          "origin_code": "110105", "arrived_at": arrived, "channels": [channel],
                          "report_count": 1,
                          "grade": rng.choice(("none", "none", "none", "low", "high")),
                          "matched_area_ids": [], "measure": "none", "test_days": [],
                          "edition_id": EDITION, "grid_code": grid, "status": "open",
                          "created_at": arrived, "classified_at": arrived})  # fmt: skip
            reports.append({"id": n, "channel": channel, "person_id": person, "trip_id": n,
                            "origin_province": "北京市", "origin_city": "北京市",
                            "origin_district": "朝阳区", "origin_code": "110105",
                            "arrived_at": arrived, "region_code": grid,
                            "reported_at": arrived})  # fmt: skip
            for number, kind in ((2 * n - 1, LANDING), (2 * n, SCREENING)):
                tasks.append(arrival_task(number, n, kind, grid, arrived, end, rng, person))
        with engine.begin() as connection:
            connection.execute(insert(Trip), trips)
            connection.execute(insert(ArrivalReport), reports)
            connection.execute(insert(ArrivalTask), tasks)


def recount_control(engine: Engine) -> None:
    """The two control counts of ``grid_counts``, as the quarantine domain recounts them."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from fangkong.quarantine.placements.service.common import recount_all  # noqa: PLC0415

    with Session(engine) as session:
        recount_all(session)
        session.commit()


def city_only(engine: Engine, people: int) -> bool:
    """Whether the file holds just the simulated city of ``people`` (an interrupted build's
    first step, kept: the rest is built on it)."""
    try:
        with engine.connect() as connection:
            found = int(connection.scalar(text("SELECT count(*) FROM people")) or 0)
            extra = connection.scalar(text(
                "SELECT EXISTS (SELECT 1 FROM cases) OR EXISTS (SELECT 1 FROM placements) "
                "OR EXISTS (SELECT 1 FROM zones) OR EXISTS (SELECT 1 FROM tube_members) "
                "OR EXISTS (SELECT 1 FROM trips)"))  # fmt: skip
    except Exception:  # no file or no schema yet: build from scratch
        return False
    return found == people and not extra


def build(engine: Engine, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    """Build the world unless its manifest matches; the manifest."""
    from fangkong.models import Region  # noqa: PLC0415
    from fangkong.models.cases import Case  # noqa: PLC0415
    from fangkong.models.quarantine import Placement  # noqa: PLC0415
    from fangkong.models.zones import Zone  # noqa: PLC0415

    manifest_path = WORK / "manifest.json"
    if manifest_path.exists() and not args.rebuild:
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("options") == wanted(args):
            fangkong(env, "db", "upgrade")  # a migration may have added indexes since
            with engine.connect() as connection:
                connection.execute(text("ANALYZE"))
            return dict(manifest)
    if not city_only(engine, args.people):
        engine.dispose()
        for name in ("world.db", "world.db-wal", "world.db-shm", "manifest.json"):
            (WORK / name).unlink(missing_ok=True)
    seconds: dict[str, float] = {}

    @contextmanager
    def step(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        seconds[name] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {seconds[name]} s", flush=True)

    rng = random.Random(10)
    end = world_end()
    with step("schema"):
        fangkong(env, "db", "upgrade")
    with step("people (simulate city)"):
        fangkong(env, "simulate", "city", "--people", str(args.people), "--seed", "1", "--if-empty")
    with step("read residents"):
        people = residents(engine)
        with engine.connect() as connection:
            of_grids = select(Region.code).where(Region.level == "grid").order_by(Region.code)
            grids = [str(c) for c in connection.scalars(of_grids)]
    with step("cases"):
        bulk(engine, Case, case_rows(people, args.cases, end, rng))
    with step("placements"):
        bulk(engine, Placement, placement_rows(people, args.placements, args.placements * 3 // 5,
                                               end, rng))  # fmt: skip
    with step("control counts (recount_all)"):
        recount_control(engine)
    with step("zones"):
        bulk(engine, Zone, zone_rows(grids, end, rng))
    with step("screening round"):
        build_round(engine, people, args.sampled, end)
    with step("arrivals"):
        build_arrivals(engine, people, args.arrivals_per_day, args.arrival_days, end, rng)
    with step("analyze"), engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    manifest = {"options": wanted(args), "end": end.isoformat(), "seconds": seconds,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return manifest


def world_size(engine: Engine) -> dict[str, int]:
    tables = ("people", "cases", "placements", "zones", "tube_members", "trips",
              "arrival_tasks", "arrival_reports", "scans")  # fmt: skip
    with engine.connect() as connection:
        return {t: int(connection.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in tables}


# --- the callers ---------------------------------------------------------------------------------


def principals() -> dict[str, Any]:
    from fangkong.auth.permissions import permissions_of  # noqa: PLC0415
    from fangkong.core.principal import Principal  # noqa: PLC0415

    return {
        "city admin": Principal(id=None, username="bench-dash-city", role="city_admin",
                                region_code="230100", permissions=permissions_of("city_admin")),
        "district officer": Principal(id=None, username="bench-dash-district",
                                      role="district_officer", region_code=DISTRICT,
                                      permissions=permissions_of("district_officer")),
    }  # fmt: skip


def timed(call: Callable[[], object], runs: int, warmup: int) -> tuple[float, float, float]:
    """p50 and p99 wall ms over ``runs`` calls after ``warmup`` calls, and the p50 CPU ms of
    this process (on SQLite all of the work, the app's threads included)."""
    for _ in range(warmup):
        call()
    laps, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        laps.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    p99 = statistics.quantiles(laps, n=100, method="inclusive")[98]
    return statistics.median(laps), p99, statistics.median(cpu)


def in_process(engine: Engine, args: argparse.Namespace) -> list[Timing]:
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from fangkong.reports import dashboard  # noqa: PLC0415

    rows = []
    for who, actor in principals().items():

        def call(actor: Any = actor) -> object:
            with Session(engine) as session:
                return dashboard.dashboard(session, actor=actor)

        found = call()
        keys = ", ".join(f.key for f in found.figures)  # type: ignore[attr-defined]
        print(f"  {who}: {len(found.figures)} figures ({keys})", flush=True)  # type: ignore[attr-defined]
        rows.append(("dashboard() in-process", who, *timed(call, args.runs, args.warmup)))
    return rows


def parts(engine: Engine, args: argparse.Namespace) -> list[Timing]:
    """Each part of the city admin's dashboard on its own (one session per call)."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from fangkong.reports import dashboard as d  # noqa: PLC0415
    from fangkong.reports.scope import scope_of  # noqa: PLC0415

    actor = principals()["city admin"]
    day = d.last_day()
    steps: dict[str, Callable[[Session, Any], object]] = {
        "scope": lambda s, _c: scope_of(s, actor, None),
        "cases by day": lambda s, c: d._cases(s, c, day),
        "bulletin counts by district": lambda s, c: d._district_rows(s, c, day),
        "under control and zones": d._control_figures,
        "people (seven counts)": d._people_figures,
        "testing coverage": lambda s, c: d._testing_figures(s, actor, c),
        "arrivals of today": d._arrival_figures,
    }
    with Session(engine) as session:
        scope = scope_of(session, actor, None)
    rows = []
    for name, run in steps.items():

        def call(run: Callable[[Session, Any], object] = run) -> object:
            with Session(engine) as session:
                return run(session, scope)

        rows.append((f"part: {name}", "city admin", *timed(call, args.runs, args.warmup)))
    return rows


def profile(engine: Engine) -> None:
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from fangkong.reports import dashboard  # noqa: PLC0415

    actor = principals()["city admin"]
    profiler = cProfile.Profile()
    with Session(engine) as session:
        profiler.runcall(dashboard.dashboard, session, actor=actor)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def credentials(engine: Engine) -> dict[str, tuple[str, str]]:
    """A bearer token and a web session cookie per caller (users made once)."""
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from fangkong.auth import service, tokens  # noqa: PLC0415
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.models import User  # noqa: PLC0415

    settings = Settings()
    found = {}
    with Session(engine) as session:
        for who, actor in principals().items():
            user = session.scalars(select(User).where(User.username == actor.username)).first()
            if user is None:
                user = User(username=actor.username, display_name=who, password_hash="!",
                            role=actor.role, region_code=actor.region_code)  # fmt: skip
                session.add(user)
                session.flush()
            found[who] = (
                tokens.issue(settings, user),
                service.start_web_session(session, user=user),
            )
        session.commit()
    return found


class FrozenApp:
    """The app with the clock frozen at the world's end for every request."""

    def __init__(self, app: Any, at: datetime) -> None:
        self.app, self.at = app, at

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        from fangkong.core import clock  # noqa: PLC0415

        with clock.frozen(self.at):
            await self.app(scope, receive, send)


def over_http(engine: Engine, end: datetime, args: argparse.Namespace) -> list[Timing]:
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from fangkong.auth.dependencies import SESSION_COOKIE  # noqa: PLC0415
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.main import create_app  # noqa: PLC0415

    creds = credentials(engine)
    rows = []
    # a served worker's start-up (routes resolved, heap frozen; core/warmup.py), without the
    # export worker's thread
    settings = Settings(env="demo", export_worker=False)
    with TestClient(FrozenApp(create_app(settings, served=True), end)) as client:
        for who, (token, cookie) in creds.items():

            def api(token: str = token) -> None:
                response = client.get("/api/v1/reports/dashboard",
                                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip
                if response.status_code != 200:
                    raise RuntimeError(f"API {response.status_code}: {response.text[:300]}")

            def page(cookie: str = cookie) -> None:
                client.cookies.set(SESSION_COOKIE, cookie)
                response = client.get("/reports/dashboard", follow_redirects=False)
                client.cookies.clear()
                if response.status_code != 200 or "<html" not in response.text:
                    raise RuntimeError(f"page {response.status_code}: {response.text[:300]}")

            rows.append(("GET /api/v1/reports/dashboard", who, *timed(api, args.runs, args.warmup)))
            rows.append(
                ("GET /reports/dashboard (page)", who, *timed(page, args.runs, args.warmup))
            )
    return rows


# --- the report ----------------------------------------------------------------------------------


def section(manifest: dict[str, Any], size: dict[str, int], rows: list[Timing], before: float,
            during: float) -> tuple[str, str]:  # fmt: skip
    info = machine()
    judged = [r for r in rows if not r[0].startswith("part:")]
    worst = max(judged, key=lambda r: r[3])
    noisy = max(before, during) >= QUIET_CPUS
    verdict = "met" if worst[3] < GOAL_MS else "not met"
    verdict += ", unreliable (busy machine)" if noisy else ""
    built = manifest["seconds"]
    world = ", ".join(f"{n:,} {t}" for t, n in size.items())
    lines = [
        f"## {info['date']} — command dashboard (SQLite), commit {info['commit']}", "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}; "
        f"{reference_text()}. Other processes used {before:.2f} CPUs before the timing and "
        f"{during:.2f} during it.", "",
        f"World (`bench/dashboard.py`, built {manifest['built_at']} in "
        f"{sum(built.values()):.0f} s, reused while its manifest matches): {world}; the clock "
        f"frozen at its end ({manifest['end']}). One session per in-process call; p50/p99 over "
        "the runs after a warm-up; HTTP through the app's `TestClient` (one client, one request "
        "at a time).", "",
        "| what | caller | p50 ms | p99 ms | p50 CPU ms |", "|---|---|---|---|---|",
        *(f"| {what} | {who} | {p50:,.1f} | {p99:,.1f} | {cpu:,.1f} |"
          for what, who, p50, p99, cpu in rows), "",
        f"- Dashboard under {GOAL_MS:.0f} ms a page (p99 of every caller and route): "
        f"**{verdict}** (worst: {worst[0]} as {worst[1]}, p99 {worst[3]:,.1f} ms).", "",
    ]  # fmt: skip
    return "\n".join(lines), verdict


def main() -> int:
    args = parse_args()
    url = f"sqlite:///{WORK / 'world.db'}"
    env = environment(url)
    os.environ.update(env)
    from fangkong.core import clock  # noqa: PLC0415
    from fangkong.db import make_engine  # noqa: PLC0415

    engine = make_engine(url)
    manifest = build(engine, env, args)
    end = datetime.fromisoformat(manifest["end"])
    size = world_size(engine)
    print(f"world: {size}; end {end.isoformat()}", flush=True)
    with clock.frozen(end):
        if args.profile:
            profile(engine)
        before = wait_quiet(60)
        from fangkong.core import warmup  # noqa: PLC0415

        warmup.freeze_heap()  # this process's start-up heap, frozen as a served worker's is
        with others_during([os.getpgid(0)]) as load:
            rows = in_process(engine, args) + parts(engine, args)
            rows += over_http(engine, end, args)
    for what, who, p50, p99, cpu in rows:
        print(f"{what:40} {who:18} p50 {p50:8.1f} ms  p99 {p99:8.1f} ms  CPU {cpu:8.1f} ms")
    text_, verdict = section(manifest, size, rows, before, load.cpus)
    print(f"goal: dashboard < {GOAL_MS:.0f} ms: {verdict}")
    if not args.no_append:
        append(RESULTS, text_)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
