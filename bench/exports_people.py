"""Export of 1,000,000 people to XLSX (and CSV) in the background worker: wall and CPU time,
peak RSS, rows per second. SQLite or PostgreSQL.

Usage::

    .venv/bin/python bench/exports_people.py [--people 1000000] [--database-url URL]
                                             [--formats xlsx,csv] [--profile] [--no-append]

Builds the city once with ``fangkong simulate city --people N --seed 1`` into
``bench/.work/exports/people-N.db`` (or the given database, reused when it already holds
people; keys kept in ``bench/.work/exports/keys.env``), then, as a city admin (approval
threshold lifted: the bench measures the writing, not the waiting), requests an export of
the whole people list and runs it exactly as the worker does (``runner.run``: keyset chunks of
5,000 rows, each read in its own transaction, progress recorded after each chunk, the file
renamed at the end). A thread samples this process's RSS every 50 ms; the figure reported is
the peak minus the RSS before the run, so constant memory shows as a few MB that do not grow
with the rows. ``--profile`` prints the top functions by cumulative time (cProfile).

Goal (issue 10): 1,000,000 people rows to XLSX under 60 s, memory flat. Reported as met or
not; never asserted. The machine is shared: CPU seconds and the CPUs other processes used
are printed beside the wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work" / "exports"
RESULTS = BENCH / "BENCHMARKS.md"
GOAL_S = 60.0
sys.path.insert(0, str(BENCH))

import fixture  # noqa: E402
from cpu import others_during  # noqa: E402
from report import machine  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-append", action="store_true")
    return parser.parse_args()


def environment(url: str) -> dict[str, str]:
    """Keys kept beside the world (the people's numbers are encrypted with them)."""
    return fixture.kept_keys_env(WORK / "keys.env", url)


def build_city(env: dict[str, str], people: int) -> float:
    fangkong = str(Path(sys.executable).parent / "fangkong")
    subprocess.run([fangkong, "db", "upgrade"], env=env, check=True)
    started = time.perf_counter()
    command = [fangkong, "simulate", "city", "--people", str(people), "--seed", "1", "--if-empty"]
    subprocess.run(command, env=env, check=True)
    return time.perf_counter() - started


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class PeakRss:
    """Samples this process's resident set every 50 ms while the block runs."""

    def __init__(self) -> None:
        self.peak = self.before = rss_kb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, rss_kb())

    def __enter__(self) -> PeakRss:
        self.before = self.peak = rss_kb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_kb())


def admin(db: object) -> object:
    from fangkong.auth.service import principal_of  # noqa: PLC0415
    from fangkong.models import User  # noqa: PLC0415

    with db.transaction() as session:  # type: ignore[attr-defined]
        user = session.query(User).filter_by(username="bench-exports-admin").one_or_none()
        if user is None:
            user = User(
                username="bench-exports-admin",
                display_name="bench",
                password_hash="!",
                role="city_admin",
                region_code="230100",
            )
            session.add(user)
            session.flush()
        return principal_of(user)


def export_once(db: object, settings: object, actor: object, file_format: str, profile: bool):
    from fangkong.exports import runner, service  # noqa: PLC0415
    from fangkong.exports.schemas import ExportCreate  # noqa: PLC0415

    data = ExportCreate(kind="people", format=file_format)
    with db.transaction() as session:  # type: ignore[attr-defined]
        export_id = service.request_export(session, settings, actor=actor, data=data).id
    profiler = cProfile.Profile() if profile else None
    with PeakRss() as memory, others_during([os.getpgid(0)]) as others:
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        status = runner.run(db, settings, export_id)  # type: ignore[arg-type]
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    with db.transaction() as session:  # type: ignore[attr-defined]
        export = service.get_any(session, export_id)
        rows, size = export.rows_done, service.file_path(settings, export).stat().st_size
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)
    return {
        "format": file_format, "status": status, "rows": rows, "wall": wall, "cpu": cpu,
        "rss_before": memory.before / 1024, "rss_growth": (memory.peak - memory.before) / 1024,
        "others": others.cpus, "size": size / 1e6,
    }  # fmt: skip


def load_average() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    args = parse_args()
    url = args.database_url or f"sqlite:///{WORK / f'people-{args.people}.db'}"
    env = environment(url)
    built = build_city(env, args.people)
    os.environ.update({k: v for k, v in env.items() if k.startswith("FANGKONG_")})
    from fangkong.config import Settings  # noqa: PLC0415
    from fangkong.db import Database, make_engine  # noqa: PLC0415

    settings = Settings(export_dir=WORK / "files", export_approval_rows=100_000_000)
    db = Database(make_engine(url))
    actor = admin(db)
    load_before = load_average()
    results = [export_once(db, settings, actor, f, args.profile) for f in args.formats.split(",")]
    report(args, url, built, load_before, results)


def report(args, url, built, load_before, results) -> None:
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    commit = machine()["commit"]
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — exports of people, commit {commit}",
        "",
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}."
        f" {backend}; {args.people:,} people (`simulate city --seed 1`, "
        f"{'reused' if built < 30 else f'built in {built:.0f} s'}). `bench/exports_people.py`: "
        "the worker's run of one export of the whole list as a city admin (chunks of 5,000, "
        f"progress after each). Load average before: {load_before} on {os.cpu_count()} CPUs.",
        "",
        "| format | rows | wall s | CPU s (this process) | other CPUs busy | rows/s "
        "| RSS growth MB "
        "| file MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['format']} | {r['rows']:,} | {r['wall']:.1f} | {r['cpu']:.1f} | "
            f"{r['others']:.2f} | {r['rows'] / r['wall']:,.0f} | {r['rss_growth']:.1f} | "
            f"{r['size']:.1f} |"
        )
    xlsx = next((r for r in results if r["format"] == "xlsx"), None)
    if xlsx:
        met = "met" if xlsx["wall"] < GOAL_S else "**not met**"
        busy = ", busy machine" if xlsx["others"] > 0.25 else ""
        lines += [
            "",
            f"- {args.people:,} people to XLSX under {GOAL_S:.0f} s: {met}{busy} "
            f"({xlsx['wall']:.1f} s wall, {xlsx['cpu']:.1f} CPU s in this process; "
            f"RSS grew {xlsx['rss_growth']:.1f} MB over {xlsx['rss_before']:.0f} MB).",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
