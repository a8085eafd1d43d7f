"""The entry check under load: ``POST /api/v1/entry-check`` against the bare app, same wrk run.

    .venv/bin/python bench/checkin.py [--database-url URL] [--identity id_number|personal_code]
        [--duration 10] [--rounds 3] [--warmup 3] [--connections 64] [--workers 2]
        [--no-append] [world options of scan_world.py]

On the scan world (``bench/scan_world.py``: 1M people, 20k venues, 30M scans, health codes;
built or reused), serves ``fangkong serve --workers 2`` and the bare app
(``bench/hello_app.py``, 2 workers) side by side, logs in as a city admin, and loads, in
``--rounds`` interleaved rounds: the bare app's ``GET /`` with ``wrk -t2 -c64``, then the entry
check with the same wrk options and a Lua script that posts varied bodies (a random venue's
place code among 5,000, a random person among 20,000, a temperature and a mask). Each entry
check reads the venue (per-process cache), the person (ID number's keyed hash, or the
personal code with its single-use nonce), the health code (``CodeReader``), decides, and
inserts a scan. The per-device and per-venue rate limits are raised for this run (one token,
one device: otherwise the run would measure 429s); ``bench/checkin_overload.py`` keeps them.

Goals (issue 6): at least 50 % of the bare app's requests/s, and p99 under 50 ms, on SQLite
and PostgreSQL. Reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import checkin_tools as tools
import cpu
import report
import scan_world
import servers
import wrk

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "BENCHMARKS.md"
MIN_SHARE, MAX_P99_MS = 0.5, 50.0
HIGH_LIMIT = "1000000/minute"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    scan_world.add_world_args(parser)
    parser.add_argument("--identity", choices=("id_number", "personal_code"), default="id_number")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20_000, help="distinct people in bodies")
    parser.add_argument("--settle", type=int, default=20, help="s to wait for a quiet machine")
    parser.add_argument("--no-append", action="store_true")
    parser.add_argument(
        "--redis-url", default="redis://127.0.0.1:6379/0",
        help="as a city deployment runs (nonces, rate limits); '' for none",
    )  # fmt: skip
    parser.add_argument("--batch-ms", type=int, default=50, help="scan_write_batch_ms")
    return parser.parse_args()


def server_env(url: str, redis_url: str = "", batch_ms: int = 50) -> dict[str, str]:
    env = scan_world.environment(url) | {
        "FANGKONG_SCAN_WRITE_BATCH_MS": str(batch_ms),
        "FANGKONG_ACCESS_TOKEN_MINUTES": "180",
        "FANGKONG_RATE_LIMIT_SCAN_DEVICE": HIGH_LIMIT,
        "FANGKONG_RATE_LIMIT_SCAN_VENUE": HIGH_LIMIT,
    }
    return env | {"FANGKONG_REDIS_URL": redis_url} if redis_url else env


def start(env: dict[str, str], workers: int, work: Path) -> tuple[servers.Server, servers.Server]:
    exe = str(Path(sys.executable).with_name("fangkong"))
    port = servers.free_port()
    fangkong = servers.Server(
        "fangkong", [exe, "serve", "--host", servers.HOST, "--port", str(port),
                     "--workers", str(workers)],
        port=port, env=env, log=work / "checkin-fangkong.log",
    )  # fmt: skip
    port = servers.free_port()
    bare = servers.Server(
        "bare", [sys.executable, str(BENCH / "hello_app.py"), "--port", str(port),
                 "--workers", str(workers)],
        port=port, env=env, log=work / "checkin-bare.log",
    )  # fmt: skip
    return fangkong, bare


def first_answer(url: str, token: str, bodies: Path) -> dict[str, object]:
    """One entry check by hand: it must be 200 before any load is worth measuring."""
    device, body = bodies.read_text().split("\n", 1)[0].split("\t", 1)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "X-Device-Id": device}  # fmt: skip
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            answer: dict[str, object] = json.load(response)
            return answer
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"entry check answered {exc.code}: {exc.read()[:500]!r}") from exc


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    rps: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    other_cpus: float


def measure(args: argparse.Namespace, fangkong: servers.Server, bare: servers.Server,
            token: str, bodies: Path) -> tuple[Row, Row]:  # fmt: skip
    entry_url, bare_url = fangkong.url(tools.PATH), bare.url("/")
    pgids = [fangkong.pgid, bare.pgid]
    offset = 1 + args.connections  # past the first answer's body
    if args.warmup:
        wrk.run(bare_url, duration_s=args.warmup, connections=args.connections)
        warm = tools.load(entry_url, token, bodies, connections=args.connections,
                          seconds=args.warmup, offset=offset)  # fmt: skip
        offset += warm.answers + 2 * args.connections
    bare_runs, entry_runs = [], []
    for round_no in range(1, args.rounds + 1):
        cpu.wait_quiet(args.settle)
        with cpu.others_during(pgids) as others:
            result = wrk.run(bare_url, duration_s=args.duration, connections=args.connections,
                             threads=args.threads)  # fmt: skip
        bare_runs.append(Row("bare GET /", result.requests_per_s, result.p99_ms,
                             result.non_2xx, result.socket_errors, others.cpus))  # fmt: skip
        cpu.wait_quiet(args.settle)
        with cpu.others_during(pgids) as others:
            run = tools.load(
                entry_url, token, bodies, connections=args.connections,
                seconds=args.duration, threads=args.threads, offset=offset,
            )  # fmt: skip
        offset += run.answers + 2 * args.connections
        bad = run.answers - int(run.ok_rate * run.seconds + 0.5)
        entry_runs.append(Row(f"fangkong POST {tools.PATH}", run.ok_rate, run.percentiles_ms[99],
                              bad, run.socket_errors, others.cpus))  # fmt: skip
        print(f"round {round_no}: bare {bare_runs[-1].rps:,.0f}/s p99 {bare_runs[-1].p99_ms:.1f}"
              f" ms; entry {run.ok_rate:,.0f}/s p99 {run.percentiles_ms[99]:.1f} ms, statuses "
              f"{run.statuses}, other CPUs {others.cpus:.2f}", flush=True)  # fmt: skip
    return median(bare_runs), median(entry_runs)


def median(rows: list[Row]) -> Row:
    middle = sorted(rows, key=lambda r: r.rps)[len(rows) // 2]
    return Row(middle.name, middle.rps, statistics.median(r.p99_ms for r in rows),
               sum(r.non_2xx for r in rows), sum(r.socket_errors for r in rows),
               max(r.other_cpus for r in rows))  # fmt: skip


def section(args: argparse.Namespace, world: scan_world.Manifest, rows: tuple[Row, Row],
            sample: dict[str, object]) -> str:  # fmt: skip
    info = report.machine()
    backend = "SQLite" if world.url.startswith("sqlite") else "PostgreSQL"
    bare, entry = rows
    share = entry.rps / bare.rps if bare.rps else 0.0
    noisy = max(bare.other_cpus, entry.other_cpus) >= cpu.QUIET_CPUS
    flag = ", unreliable (busy machine)" if noisy else ""
    lines = [
        f"## {info['date']} — entry check, {backend}, commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}; "
        f"{info['packages']}.",
        f"World (`bench/scan_world.py`): {world.people:,} people, {world.venues:,} venues, "
        f"{world.scans:,} scans, {world.health_codes:,} health codes. `fangkong serve "
        f"--workers {args.workers}` and the bare app, `wrk -t{args.threads} "
        f"-c{args.connections} -d{args.duration}s`, {args.rounds} interleaved rounds (median). "
        f"Bodies: {args.identity}, {args.sample:,} people, 5,000 venues; rate limits raised; "
        f"Redis: {args.redis_url or 'none'}; scans written behind the answer every "
        f"{args.batch_ms} ms (0: before it).",
        f"Sample answer: decision `{sample.get('decision')}`, colour `{sample.get('colour')}`.",
        "",
        "| row | req/s (2xx) | p99 ms | share of bare | non-2xx | socket errors | other CPUs |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.rps:,.0f} | {row.p99_ms:.1f} | {row.rps / bare.rps:.0%} | "
            f"{row.non_2xx:,} | {row.socket_errors} | {row.other_cpus:.2f} |"
        )
    lines += [
        "",
        f"- Throughput ≥ 50 % of bare: **{'met' if share >= MIN_SHARE else 'not met'}{flag}** "
        f"({share:.0%}).",
        f"- p99 < 50 ms: **{'met' if entry.p99_ms < MAX_P99_MS else 'not met'}{flag}** "
        f"({entry.p99_ms:.1f} ms).",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    args = parse_args()
    wrk.ensure_installed()
    world = scan_world.build(args)
    env = server_env(args.database_url, args.redis_url, args.batch_ms)
    work = scan_world.WORK
    engine = scan_world.engine_for(args.database_url)
    who = tools.staff(env)
    bodies = work / f"bodies-{args.identity}.ndjson"
    started = time.perf_counter()
    codes = args.rounds * args.duration * 5000 + 50_000
    tools.write_bodies(engine, bodies, identity=args.identity, people=args.sample, codes=codes,
                       seed=1)  # fmt: skip
    engine.dispose()
    print(f"bodies written in {time.perf_counter() - started:.1f} s", flush=True)
    fangkong, bare = start(env, args.workers, work)
    with fangkong, bare:
        fangkong.wait_ready("/healthz", timeout_s=120)
        bare.wait_ready("/")
        token = tools.log_in(who, fangkong.url(""))
        sample = first_answer(fangkong.url(tools.PATH), token, bodies)
        print(f"first answer: {sample}", flush=True)
        rows = measure(args, fangkong, bare, token, bodies)
    text = section(args, world, rows, sample)
    print(text)
    if not args.no_append:
        report.append(RESULTS, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
