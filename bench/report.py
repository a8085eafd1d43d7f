"""The results: a table for the terminal, a dated section for ``BENCHMARKS.md``, the goals.

The goals come from the issue: the authenticated ``GET /api/v1/auth/me`` at no less than half
the bare app's requests/s, and its p99 latency under 50 ms at 64 connections. They are
reported as met or not met; a benchmark never fails a build.
"""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from wrk import WrkResult

MIN_SHARE_OF_BARE = 0.50
MAX_P99_MS = 50.0
PACKAGES = ("fastapi", "starlette", "uvicorn", "pydantic", "pyjwt")
HEADER = """# Benchmarks

Appended by `make bench` (`bench/run.py`); the newest run is at the bottom. What each row
measures and how to run it: `bench/README.md`. Figures from one machine are comparable with
each other only: compare a row with the bare app of the same run, not with another day.
"""


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    url_path: str
    result: WrkResult
    bare_rps: float
    other_cpus: float = 0.0

    @property
    def share(self) -> float:
        return self.result.requests_per_s / self.bare_rps if self.bare_rps else 0.0


@dataclass(frozen=True, slots=True)
class Goal:
    text: str
    met: bool
    measured: str
    noisy: bool  # other processes took CPU during a run the verdict rests on

    @property
    def verdict(self) -> str:
        word = "met" if self.met else "not met"
        return f"{word}, unreliable (busy machine)" if self.noisy else word


def goals(bare_row: Row, auth_row: Row, quiet_cpus: float) -> list[Goal]:
    """The issue's two goals, judged on the authenticated call's figures."""
    share, p99 = auth_row.share, auth_row.result.p99_ms
    noisy = max(bare_row.other_cpus, auth_row.other_cpus) >= quiet_cpus
    return [
        Goal("auth/me ≥ 50 % of bare req/s", share >= MIN_SHARE_OF_BARE, f"{share:.0%}", noisy),
        Goal(
            "auth/me p99 < 50 ms",
            p99 < MAX_P99_MS,
            f"{p99:.1f} ms",
            auth_row.other_cpus >= quiet_cpus,
        ),
    ]


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def machine() -> dict[str, str]:
    commit = _git("rev-parse", "--short", "HEAD") or "unknown"
    if _git("status", "--porcelain", "--untracked-files=no"):
        commit += " + uncommitted changes"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(len(os.sched_getaffinity(0))),  # what `nproc` prints
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "commit": commit,
        "packages": ", ".join(f"{p} {_version(p)}" for p in PACKAGES),
    }


def _cells(row: Row, *, markdown: bool = False) -> list[str]:
    result = row.result
    path = f"`{row.url_path}`" if markdown else row.url_path
    flag = "" if result.clean else f" ⚠ {result.non_2xx} non-2xx, {result.socket_errors} socket"
    return [
        row.name, path, f"{result.requests_per_s:,.0f}",
        f"{result.p99_ms:.2f}", f"{row.share:.2f}{flag}", f"{row.other_cpus:.2f}",
    ]  # fmt: skip


COLUMNS = ["server", "endpoint", "req/s", "p99 ms", "share of bare", "other CPUs"]


def terminal_table(rows: list[Row]) -> str:
    table = [COLUMNS] + [_cells(row) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_section(
    rows: list[Row], judged: list[Goal], info: dict[str, str], load: str, notes: list[str]
) -> str:
    table = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    table += ["| " + " | ".join(_cells(row, markdown=True)) + " |" for row in rows]
    verdicts = [f"- {g.text}: **{g.verdict}** ({g.measured})" for g in judged]
    return "\n".join([
        f"## {info['date']} — commit {info['commit']}",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}; "
        f"{info['packages']}.",
        f"Load: {load}.",
        "",
        *table,
        "",
        *verdicts,
        *(f"- Caveat: {note}." for note in notes),
        "",
    ])  # fmt: skip


def append(path: Path, section: str) -> None:
    if not path.exists() or not path.read_text().strip():
        path.write_text(HEADER)
    with path.open("a") as out:
        out.write("\n" + section)
