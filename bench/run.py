"""``make bench``: fangkong beside a bare FastAPI app, both loaded with ``wrk`` on loopback.

1. installs ``wrk`` from Debian when it is missing;
2. makes a fresh SQLite database in ``bench/.work/`` with one district officer (TOTP enrolled);
3. starts ``fangkong serve --workers 2`` and ``bench/hello_app.py`` (2 workers) on free
   127.0.0.1 ports, waits for both and logs in once for a bearer token;
4. warms each endpoint up, then runs ``wrk -t2 -c64 -d10s --latency`` against bare ``/``,
   fangkong ``/healthz`` and fangkong ``/api/v1/auth/me`` (with the bearer token), one at a
   time, in interleaved rounds (3 by default: single runs vary by up to 20 % on this machine),
   each after waiting (bounded) for a quiet machine; the median run of each endpoint counts;
5. prints req/s, p99 and the share of the bare app's req/s, says whether the goals were met,
   and appends a dated section to ``bench/BENCHMARKS.md``.

The servers are stopped however the run ends. The exit status is 0 when the figures were
measured (goals met or not) and 1 when they could not be (a server failed, a response was not
2xx): a benchmark reports, it does not assert.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import cpu
import fixture
import report
import servers
import wrk

BENCH = Path(__file__).resolve().parent
WORKDIR = BENCH / ".work"
RESULTS = BENCH / "BENCHMARKS.md"
ME_PATH = "/api/v1/auth/me"
TARGET_PATHS = ("/", "/healthz", ME_PATH)


@dataclass(frozen=True, slots=True)
class Target:
    server: servers.Server
    path: str
    headers: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.server.name} {self.path}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="fangkong vs a bare FastAPI app, under wrk.")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target (3)")
    parser.add_argument("--connections", type=int, default=64, help="wrk -c (64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t (2)")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers per server (2)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs per target, interleaved; the median counts (3)"
    )
    parser.add_argument(
        "--settle", type=int, default=30, help="seconds to wait for a quiet machine per run (30)"
    )
    parser.add_argument("--no-append", action="store_true", help="print only; leave the file")
    parser.set_defaults(wrk="wrk")
    args = parser.parse_args(argv)
    for name in ("duration", "connections", "threads", "workers", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.duration > 600 or not 0 <= args.warmup <= 60 or not 0 <= args.settle <= 600:
        parser.error("--duration is at most 600 s, --warmup 0..60 s, --settle 0..600 s")
    return args


def start_servers(fx: fixture.Fixture, workers: int) -> tuple[servers.Server, servers.Server]:
    port = servers.free_port()
    fangkong = servers.Server(
        "fangkong", [fixture.fangkong_command(), "serve", "--host", servers.HOST,
                     "--port", str(port), "--workers", str(workers)],
        port=port, env=fx.env, log=fx.workdir / "fangkong.log",
    )  # fmt: skip
    port = servers.free_port()
    bare = servers.Server(
        "bare", [sys.executable, str(BENCH / "hello_app.py"), "--port", str(port),
                 "--workers", str(workers)],
        port=port, env=fx.env, log=fx.workdir / "bare.log",
    )  # fmt: skip
    return fangkong, bare


def load(target: Target, args: argparse.Namespace, duration: int) -> wrk.WrkResult:
    return wrk.run(
        target.server.url(target.path), duration_s=duration, threads=args.threads,
        connections=args.connections, headers=target.headers, wrk=args.wrk,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Measured:
    result: wrk.WrkResult
    other_cpus: float  # CPUs that processes other than the servers and wrk used meanwhile


def measure_once(target: Target, args: argparse.Namespace, pgids: list[int]) -> Measured:
    busy = cpu.wait_quiet(args.settle)
    if busy >= cpu.QUIET_CPUS:
        print(f"  machine still busy ({busy:.2f} CPUs) after {args.settle}s; measuring anyway")
    with cpu.others_during(pgids) as others:
        result = load(target, args, args.duration)
    print(
        f"  {result.requests_per_s:,.0f} req/s, p99 {result.p99_ms:.2f} ms, "
        f"other processes {others.cpus:.2f} CPUs",
        flush=True,
    )
    return Measured(result, others.cpus)


def measure(targets: list[Target], args: argparse.Namespace) -> dict[str, Measured]:
    """Warm every target up, then ``rounds`` interleaved runs each; the median run counts."""
    if args.warmup:
        for target in targets:
            print(f"warming up {target.label} for {args.warmup}s", flush=True)
            load(target, args, args.warmup)
    pgids = sorted({t.server.pgid for t in targets})
    runs: dict[str, list[Measured]] = {t.label: [] for t in targets}
    for round_no in range(1, args.rounds + 1):
        for target in targets:
            print(f"round {round_no}/{args.rounds}: {target.label}, {args.duration}s", flush=True)
            runs[target.label].append(measure_once(target, args, pgids))
    return {label: _median_run(measured) for label, measured in runs.items()}


def _median_run(runs: list[Measured]) -> Measured:
    """The run with the median req/s, with the median p99, all errors and the worst noise."""
    middle = sorted(runs, key=lambda m: m.result.requests_per_s)[len(runs) // 2]
    results = [m.result for m in runs]
    result = replace(
        middle.result,
        p99_ms=statistics.median(r.p99_ms for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
    )
    return Measured(result, max(m.other_cpus for m in runs))


def check_token(fangkong: servers.Server, token: str) -> tuple[str, ...]:
    headers = {"Authorization": f"Bearer {token}"}
    status = servers.get_status(fangkong.url(ME_PATH), headers=headers)
    if status != 200:
        raise RuntimeError(f"GET {ME_PATH} with the bench token answered {status}, not 200")
    return (f"Authorization: Bearer {token}",)


def token_minutes(args: argparse.Namespace) -> int:
    """A token lifetime that outlasts every warm-up, settling wait and run (at least 15 min)."""
    per_run: int = args.duration + args.settle + wrk.GRACE_SECONDS
    seconds: int = len(TARGET_PATHS) * (args.warmup + args.rounds * per_run)
    return max(15, seconds // 60 + 5)


def bench(args: argparse.Namespace) -> list[report.Row]:
    args.wrk = wrk.ensure_installed()
    print(f"preparing a fresh database in {WORKDIR}", flush=True)
    fx = fixture.prepare(WORKDIR, token_minutes=token_minutes(args))
    fangkong, bare = start_servers(fx, args.workers)
    with fangkong, bare:
        fangkong.wait_ready("/healthz")
        bare.wait_ready("/")
        print(f"fangkong on {fangkong.url('')}, bare app on {bare.url('')}", flush=True)
        auth = check_token(fangkong, fixture.log_in(fx, fangkong.url("/api/v1/auth/token")))
        targets = [Target(bare, "/"), Target(fangkong, "/healthz"), Target(fangkong, ME_PATH, auth)]
        measured = measure(targets, args)
    bare_rps = measured[targets[0].label].result.requests_per_s
    return [
        report.Row(t.server.name, t.path, m.result, bare_rps, m.other_cpus)
        for t, m in ((t, measured[t.label]) for t in targets)
    ]


def caveats(rows: list[report.Row]) -> list[str]:
    """What makes these figures less than they seem, in words for the file and the terminal."""
    notes = []
    if not all(row.result.clean for row in rows):
        notes.append("some responses were not 2xx or sockets failed: these figures are not valid")
    noise = max(row.other_cpus for row in rows)
    if noise >= cpu.QUIET_CPUS:
        notes.append(
            f"other processes used up to {noise:.2f} CPUs during a run: the figures of that run "
            "understate the servers (see the 'other CPUs' column)"
        )
    return notes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        rows = bench(args)
    except (RuntimeError, OSError) as exc:  # a server, wrk or the set-up failed: no figures
        print(f"bench failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the servers were stopped and nothing was appended", file=sys.stderr)
        return 130
    judged, notes = report.goals(rows[0], rows[-1], cpu.QUIET_CPUS), caveats(rows)
    print()
    print(report.terminal_table(rows))
    print()
    for goal in judged:
        verdict = goal.verdict if goal.met else goal.verdict.upper()
        print(f"{goal.text}: {verdict} ({goal.measured})")
    for note in notes:
        print(f"caveat: {note}")
    load_text = (
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, "
        f"{args.workers} uvicorn workers per server, {args.rounds} round(s) (median)"
    )
    if not args.no_append:
        section = report.markdown_section(rows, judged, report.machine(), load_text, notes)
        report.append(RESULTS, section)
        print(f"appended to {RESULTS.relative_to(BENCH.parent)}")
    print(f"done in {time.monotonic() - started:.0f}s")
    return 0 if all(row.result.clean for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
