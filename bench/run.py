"""``make bench``: fangkong beside a bare FastAPI app, both loaded with ``wrk`` on loopback.

1. installs ``wrk`` from Debian when it is missing;
2. makes a fresh SQLite database in ``bench/.work/`` with one district officer (TOTP enrolled);
3. starts ``fangkong serve --workers 2`` and ``bench/hello_app.py`` (2 workers) on free
   127.0.0.1 ports, waits for both and logs in once for a bearer token;
4. warms each endpoint up, then runs ``wrk -t2 -c64 -dNs --latency`` against bare ``/``,
   fangkong ``/healthz`` and fangkong ``/api/v1/auth/me`` (with the bearer token), one at a time;
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
        "--rounds", type=int, default=1, help="runs per target, interleaved; the median counts (1)"
    )
    parser.add_argument("--no-append", action="store_true", help="print only; leave the file")
    args = parser.parse_args(argv)
    for name in ("duration", "connections", "threads", "workers", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.duration > 600 or args.warmup > 60 or args.warmup < 0:
        parser.error("--duration is at most 600 s and --warmup 0..60 s")
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


def measure(targets: list[Target], args: argparse.Namespace) -> dict[str, wrk.WrkResult]:
    """Warm every target up, then ``rounds`` interleaved runs each; the median run counts."""
    if args.warmup:
        for target in targets:
            print(f"warming up {target.label} for {args.warmup}s", flush=True)
            load(target, args, args.warmup)
    runs: dict[str, list[wrk.WrkResult]] = {t.label: [] for t in targets}
    for round_no in range(1, args.rounds + 1):
        for target in targets:
            print(f"round {round_no}/{args.rounds}: {target.label}, {args.duration}s", flush=True)
            result = load(target, args, args.duration)
            print(f"  {result.requests_per_s:,.0f} req/s, p99 {result.p99_ms:.2f} ms", flush=True)
            runs[target.label].append(result)
    return {name: _median_run(results) for name, results in runs.items()}


def _median_run(results: list[wrk.WrkResult]) -> wrk.WrkResult:
    """The run with the median req/s, carrying the median p99 and every run's errors."""
    ordered = sorted(results, key=lambda r: r.requests_per_s)
    middle = ordered[len(ordered) // 2]
    return replace(
        middle,
        p99_ms=statistics.median(r.p99_ms for r in results),
        non_2xx=sum(r.non_2xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
    )


def check_token(fangkong: servers.Server, token: str) -> tuple[str, ...]:
    headers = {"Authorization": f"Bearer {token}"}
    status = servers.get_status(fangkong.url(ME_PATH), headers=headers)
    if status != 200:
        raise RuntimeError(f"GET {ME_PATH} with the bench token answered {status}, not 200")
    return (f"Authorization: Bearer {token}",)


def bench(args: argparse.Namespace) -> list[report.Row]:
    args.wrk = wrk.ensure_installed()
    # Tokens must outlive warm-up plus every round (15 min is the default lifetime).
    minutes = max(15, 3 * len(TARGET_PATHS) * (args.warmup + args.duration * args.rounds) // 60)
    print(f"preparing a fresh database in {WORKDIR}", flush=True)
    fx = fixture.prepare(WORKDIR, token_minutes=minutes)
    fangkong, bare = start_servers(fx, args.workers)
    with fangkong, bare:
        fangkong.wait_ready("/healthz")
        bare.wait_ready("/")
        print(f"fangkong on {fangkong.url('')}, bare app on {bare.url('')}", flush=True)
        auth = check_token(fangkong, fixture.log_in(fx, fangkong.url("/api/v1/auth/token")))
        targets = [Target(bare, "/"), Target(fangkong, "/healthz"), Target(fangkong, ME_PATH, auth)]
        results = measure(targets, args)
    bare_rps = results[targets[0].label].requests_per_s
    return [report.Row(t.server.name, t.path, results[t.label], bare_rps) for t in targets]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    rows = bench(args)
    judged = report.goals(rows[-1])
    print()
    print(report.terminal_table(rows))
    print()
    for goal in judged:
        print(f"{goal.text}: {'met' if goal.met else 'NOT met'} ({goal.measured})")
    load_text = (
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, "
        f"{args.workers} uvicorn workers per server, {args.rounds} round(s) (median)"
    )
    clean = all(row.result.clean for row in rows)
    if not args.no_append:
        section = report.markdown_section(rows, judged, report.machine(), load_text)
        report.append(RESULTS, section)
        print(f"appended to {RESULTS.relative_to(BENCH.parent)}")
    if not clean:
        print("some responses were not 2xx or sockets failed: these figures are not valid")
    print(f"done in {time.monotonic() - started:.0f}s")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
