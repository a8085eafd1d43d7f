"""Overload: one route driven far past its sustainable rate, then left alone to recover.

    .venv/bin/python bench/overload.py [--route PATH] [--factor 4] [--duration 20]
        [--max-inflight N] [--wait-ms MS] [--database-url URL] [--no-record] [--help]

Builds a fresh city through the real CLI (``db upgrade``, ``users create`` for a district officer
of 230102 with TOTP, ``simulate city --people 20000 --seed 1``; SQLite in ``bench/.work/``, or a
PostgreSQL database it may wipe), serves it with ``fangkong serve --workers 2`` on loopback and
logs in for a bearer token. Then: the route's idle latency from a lone probe connection; its
sustainable rate (wrk, 4 connections, 10 s, all 2xx); ``--factor`` times that rate for
``--duration`` s. wrk 4 has no rate option and keeps each connection busy, so the rate is set
by the number of connections: a 3 s trial measures a first guess and the count is scaled to
the target (the rate reached is reported). A Lua script counts wrk's answers by status. wrk's
latencies mix refused and admitted answers, so the latency of **admitted** requests comes from
probes: 8 keep-alive connections sending the same request 40 times a second in all, competing
for slots like any client; the p95 of their 2xx answers during the overload (its first second
left out). After wrk stops a lone probe goes on until five probes in a row answer 2xx within
twice the idle p95: the **recovery** is the seconds from wrk's end to the first of them.
Appends a dated section to ``bench/BENCHMARKS.md`` unless ``--no-record``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cpu
import fixture
import overload_tools as tools
import report
import servers
import wrk
from overload_tools import Load, Probe, p95

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work" / "overload"
RESULTS = BENCH / "BENCHMARKS.md"
DEFAULT_ROUTE = "/api/v1/people?limit=20"
CALIBRATION_S = 3
MAX_CONNECTIONS = 2000
RECOVERY_RUN = 5  # probes in a row at normal latency
RECOVERY_LIMIT_S = 60.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--route", default=DEFAULT_ROUTE, help=f"GET path ({DEFAULT_ROUTE})")
    parser.add_argument("--factor", type=float, default=4.0, help="times the sustainable rate")
    parser.add_argument("--duration", type=int, default=20, help="seconds of overload (20)")
    parser.add_argument("--base-duration", type=int, default=10, help="seconds, sustainable run")
    parser.add_argument("--base-connections", type=int, default=4, help="wrk -c, sustainable")
    parser.add_argument("--connections", type=int, default=0, help="wrk -c, overload (calibrated)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (2)")
    parser.add_argument("--people", type=int, default=20_000, help="people in the city")
    parser.add_argument("--max-inflight", type=int, default=None, help="per worker; 0: no guard")
    parser.add_argument("--wait-ms", type=int, default=None, help="wait for a slot (setting)")
    parser.add_argument("--database-url", help="a PostgreSQL database the run may wipe")
    parser.add_argument("--probe-rate", type=float, default=40.0, help="probes per second (40)")
    parser.add_argument("--probe-connections", type=int, default=8, help="probe connections (8)")
    parser.add_argument("--settle", type=int, default=60, help="s to wait for a quiet machine")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    if not (1 <= args.duration <= 300 and 1 <= args.base_duration <= 120 and args.factor > 1):
        parser.error("--duration 1..300 s, --base-duration 1..120 s, --factor above 1")
    if not 0 <= args.connections <= MAX_CONNECTIONS or args.base_connections < 1:
        parser.error(f"--connections 0..{MAX_CONNECTIONS}, --base-connections at least 1")
    if not args.route.startswith("/"):
        parser.error("--route is a path such as /api/v1/people?limit=20")
    return args


def load(url: str, token: str, *, connections: int, seconds: int) -> Load:
    return tools.load(url, token, connections=connections, seconds=seconds, workdir=WORK)


def idle_latency(probe: Probe, seconds: float = 3.0) -> tuple[float, float]:
    start = time.perf_counter()
    time.sleep(seconds)
    laps = [lat for _at, lat, code in probe.between(start, time.perf_counter()) if code == 200]
    if len(laps) < 2:
        raise RuntimeError("the probe got no 200 answers from the idle server")
    return statistics.median(laps), p95(laps)


def recovery(probe: Probe, since: float, normal_ms: float) -> float | None:
    """Seconds from ``since`` to the end of the first probe of ``RECOVERY_RUN`` normal ones."""
    after = probe.between(since, math.inf)
    for i in range(len(after) - RECOVERY_RUN + 1):
        run = after[i : i + RECOVERY_RUN]
        if all(200 <= code < 300 and lat <= normal_ms for _at, lat, code in run):
            return run[0][0] + run[0][1] / 1000 - since
    return None


def wait_recovery(probe: Probe, since: float, normal_ms: float) -> float | None:
    while time.perf_counter() - since < RECOVERY_LIMIT_S:
        found = recovery(probe, since, normal_ms)
        if found is not None:
            return found
        time.sleep(0.2)
    return None


def calibrate(url: str, token: str, target: float, wait_s: float, floor: int) -> int:
    """Connections for ``target`` answers/s: a guess from the slot wait, one trial, scaled."""
    guess = min(MAX_CONNECTIONS, max(floor, math.ceil(target * (wait_s + 0.01))))
    trial = load(url, token, connections=guess, seconds=CALIBRATION_S)
    scaled = math.ceil(guess * target / max(trial.rate, 1.0))
    print(f"calibration: {guess} connections gave {trial.rate:,.0f} answers/s", flush=True)
    return min(MAX_CONNECTIONS, max(floor, scaled))


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True, slots=True)
class Overload:
    load: Load
    admitted_ms: list[float]  # the probe's 2xx latencies during the overload
    probes: int
    recovery_s: float | None
    other_cpus: float
    load_before: float


@dataclass(frozen=True, slots=True)
class Figures:
    guard: dict[str, str]
    idle_p50: float
    idle_p95: float
    base: Load
    over: Overload

    @property
    def normal_ms(self) -> float:
        return 2 * self.idle_p95


def cli(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [fixture.fangkong_command(), *args], env=env, cwd=WORK, input=stdin, text=True,
        capture_output=True, timeout=900, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"fangkong {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def wipe_postgres(url: str) -> None:
    from sqlalchemy import text  # noqa: PLC0415

    from fangkong.db import make_engine  # noqa: PLC0415

    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def prepare(args: argparse.Namespace) -> tuple[fixture.Fixture, dict[str, str]]:
    """A fresh database, the benchmark user and a city, through the real CLI."""
    print(f"preparing a fresh city of {args.people:,} people ({WORK})", flush=True)
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = fixture.server_env(WORK, token_minutes=60)
    if args.database_url:
        wipe_postgres(args.database_url)
        env["FANGKONG_DATABASE_URL"] = args.database_url
    password = secrets.token_urlsafe(18)
    cli(env, "db", "upgrade")
    out = cli(
        env, "users", "create", fixture.USERNAME, "--role", fixture.ROLE, "--region",
        fixture.REGION, "--password-stdin", stdin=password + "\n",
    )  # fmt: skip
    uri = re.search(r"^otpauth://\S+$", out, re.MULTILINE)
    if uri is None:
        raise RuntimeError(f"`fangkong users create` printed no otpauth:// URI:\n{out}")
    cli(env, "simulate", "city", "--people", str(args.people), "--seed", "1")
    for name, value in (("MAX_INFLIGHT", args.max_inflight), ("INFLIGHT_WAIT_MS", args.wait_ms)):
        if value is not None:
            env[f"FANGKONG_{name}"] = str(value)
    return fixture.Fixture(WORK, env, password, uri.group(0)), env


def guard_settings(env: dict[str, str]) -> dict[str, str]:
    """The guard's settings as the server reads them (its defaults unless the run set them)."""
    from fangkong.config import Settings  # noqa: PLC0415 - only for the defaults

    fields = Settings.model_fields
    return {
        "max_inflight": env.get("FANGKONG_MAX_INFLIGHT", str(fields["max_inflight"].default)),
        "wait_ms": env.get("FANGKONG_INFLIGHT_WAIT_MS", str(fields["inflight_wait_ms"].default)),
    }


def overload(
    args: argparse.Namespace, url: str, token: str, *, port: int, pgid: int, connections: int,
    normal_ms: float,
) -> Overload:  # fmt: skip
    """The overload with the probes running, then a lone probe until the route has recovered."""
    load_before, own = os.getloadavg()[0], own_cpu_seconds()
    print(f"overload: {connections} connections for {args.duration}s", flush=True)
    many = Probe(port, args.route, token, rate=args.probe_rate, connections=args.probe_connections)
    with many, cpu.others_during([pgid]) as others:
        start = time.perf_counter()
        over = load(url, token, connections=connections, seconds=args.duration)
        end = time.perf_counter()
    own_cpus = (own_cpu_seconds() - own) / (end - start)  # the probes' threads are ours
    with Probe(port, args.route, token, rate=lone_rate(args)) as lone:
        recovered = wait_recovery(lone, end, normal_ms)
    during = many.between(start + 1.0, end)
    admitted = [lat for _at, lat, code in during if 200 <= code < 300]
    other = max(0.0, others.cpus - own_cpus)
    return Overload(over, admitted, len(during), recovered, other, load_before)


def lone_rate(args: argparse.Namespace) -> float:
    """The lone probe (idle latency, recovery): one connection, half the probes' total rate."""
    return float(args.probe_rate) / 2


def sustainable(args: argparse.Namespace, server: servers.Server, token: str) -> Load:
    """Warm-up, then the sustainable rate with only the route's own answers 2xx."""
    url = server.url(args.route)
    if servers.get_status(url, headers={"Authorization": f"Bearer {token}"}) != 200:
        raise RuntimeError(f"GET {args.route} with the bench token did not answer 200")
    print("warming up", flush=True)
    busy = cpu.wait_quiet(args.settle)
    if busy >= cpu.QUIET_CPUS:
        print(f"machine still busy ({busy:.2f} CPUs) after {args.settle}s; measuring anyway")
    load(url, token, connections=args.base_connections, seconds=3)
    base = load(url, token, connections=args.base_connections, seconds=args.base_duration)
    if base.ok_rate <= 0 or base.share(200) < 1:
        raise RuntimeError(f"the sustainable run was not all 200: {base.statuses}")
    print(f"sustainable: {base.ok_rate:,.0f} 2xx/s at {base.connections} connections", flush=True)
    return base


def run(args: argparse.Namespace) -> Figures:
    wrk.ensure_installed()
    fx, env = prepare(args)
    guard, port = guard_settings(env), servers.free_port()
    command = [fixture.fangkong_command(), "serve", "--host", servers.HOST, "--port", str(port)]
    command += ["--workers", str(args.workers)]
    with servers.Server("fangkong", command, port=port, env=env, log=WORK / "server.log") as srv:
        srv.wait_ready("/readyz")
        token = fixture.log_in(fx, srv.url("/api/v1/auth/token"))
        base = sustainable(args, srv, token)
        url = srv.url(args.route)
        connections = args.connections or calibrate(
            url, token, args.factor * base.ok_rate, int(guard["wait_ms"]) / 1000,
            args.base_connections * 2,
        )  # fmt: skip
        time.sleep(2)  # let the calibration's backlog drain before the idle probe
        cpu.wait_quiet(args.settle)
        with Probe(port, args.route, token, rate=lone_rate(args)) as lone:
            idle_p50, idle_p95 = idle_latency(lone)
        print(f"idle: p50 {idle_p50:.2f} ms, p95 {idle_p95:.2f} ms", flush=True)
        over = overload(
            args, url, token, port=port, pgid=srv.pgid, connections=connections,
            normal_ms=2 * idle_p95,
        )  # fmt: skip
    return Figures(guard, idle_p50, idle_p95, base, over)


def statuses_text(over: Load) -> str:
    if not over.answers:
        return "no answer at all"
    parts = [f"{s}: {n:,} ({over.share(s):.1%})" for s, n in sorted(over.statuses.items())]
    return ", ".join(parts) + f" of {over.answers:,} answers"


def guard_text(guard: dict[str, str]) -> str:
    if guard["max_inflight"] == "0":
        return "no guard (`FANGKONG_MAX_INFLIGHT=0`)"
    return (
        f"guard `FANGKONG_MAX_INFLIGHT={guard['max_inflight']}` per worker, "
        f"`FANGKONG_INFLIGHT_WAIT_MS={guard['wait_ms']}`"
    )


def table(args: argparse.Namespace, f: Figures) -> list[str]:
    reached = f.over.load.rate / f.base.ok_rate
    rows = [
        ("sustainable", f.base),
        (f"overload (target ×{args.factor:g}, reached ×{reached:.1f})", f.over.load),
    ]
    lines = [
        "| phase | connections | answers/s | 2xx/s | 503 share "
        "| wrk p50 ms | wrk p95 ms | wrk p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, row in rows:
        pct = [row.percentiles_ms.get(p, math.nan) for p in (50, 95, 99)]
        lines.append(
            f"| {name} | {row.connections} | {row.rate:,.0f} | {row.ok_rate:,.0f} | "
            f"{row.share(503):.1%} | {pct[0]:.1f} | {pct[1]:.1f} | {pct[2]:.1f} |"
        )
    return lines


def ms(value: float) -> str:
    return "n/a (too few admitted)" if math.isnan(value) else f"{value:.1f} ms"


def findings(args: argparse.Namespace, f: Figures) -> list[str]:
    admitted, over = f.over.admitted_ms, f.over
    median = statistics.median(admitted) if admitted else math.nan
    recovered = f"{over.recovery_s:.2f} s" if over.recovery_s is not None else "none within 60 s"
    return [
        f"- Answers during the overload by status: {statuses_text(over.load)}; "
        f"socket errors {over.load.socket_errors}.",
        f"- Admitted (2xx) requests during the overload, from {args.probe_connections} probe "
        f"connections ({len(admitted)} of {over.probes} probes admitted): "
        f"p95 **{ms(p95(admitted))}**, p50 {ms(median)}; "
        f"idle p50 {f.idle_p50:.1f} ms, p95 {f.idle_p95:.1f} ms.",
        f"- Recovery: **{recovered}** from wrk's end until {RECOVERY_RUN} probes in a row "
        f"answered 2xx within {f.normal_ms:.1f} ms (twice the idle p95); one probe connection, "
        f"a probe every {1000 / lone_rate(args):.0f} ms.",
    ]


def section(args: argparse.Namespace, f: Figures) -> str:
    info = report.machine()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    return "\n".join([
        f"## {info['date']} — overload, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}; "
        f"{info['packages']}.",
        f"Server: `fangkong serve --workers {args.workers}`, {backend}, {args.people:,} people "
        f"(`simulate city --seed 1`), {guard_text(f.guard)}. Route `GET {args.route}` as a "
        "district officer of 230102 (`bench/overload.py`).",
        f"Load: 1-minute load average {f.over.load_before:.2f} before the overload; other "
        f"processes used {f.over.other_cpus:.2f} CPUs during it.",
        "",
        *table(args, f),
        "",
        *findings(args, f),
        "",
    ])  # fmt: skip


def main() -> int:
    args = parse_args()
    try:
        figures = run(args)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"overload bench failed: {exc}", file=sys.stderr)
        return 1
    text = section(args, figures)
    print()
    print(text)
    if not args.no_record:
        report.append(RESULTS, text)
        print(f"appended to {RESULTS.relative_to(BENCH.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
