"""How busy the machine was apart from the benchmark itself (Linux ``/proc``).

On a 2-core machine shared with test suites and editors, a run during someone's ``pytest``
measures the neighbour, not the server. Each wrk run therefore reports the CPUs that *other*
processes used meanwhile: all busy time from ``/proc/stat`` minus the servers' process groups
and wrk's own time. Before each run the harness also waits (bounded) for a quiet machine.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
QUIET_CPUS = 0.25  # other processes using more than this are worth a warning


def _busy_seconds() -> float:
    """Seconds all CPUs spent busy since boot (time stolen by the hypervisor counts as busy)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / TICKS


def _group_seconds(pgids: Iterable[int]) -> float:
    """CPU seconds used so far by the live processes of these process groups."""
    wanted, total = set(pgids), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            after_name = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        # after the name: state, ppid, pgrp, ... utime is field 14 and stime 15 of the whole
        if int(after_name[2]) in wanted:
            total += int(after_name[11]) + int(after_name[12])
    return total / TICKS


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(slots=True)
class OtherLoad:
    """Filled in when the ``others_during`` block ends: CPUs used by everything else."""

    cpus: float = 0.0


@contextmanager
def others_during(pgids: Iterable[int]) -> Iterator[OtherLoad]:
    """Measure the CPUs that processes other than ``pgids`` and our children used in the block."""
    groups = list(pgids)
    load = OtherLoad()
    start = time.monotonic(), _busy_seconds(), _group_seconds(groups), _children_seconds()
    yield load
    wall = time.monotonic() - start[0]
    ours = (_group_seconds(groups) - start[2]) + (_children_seconds() - start[3])
    load.cpus = max(0.0, (_busy_seconds() - start[1] - ours) / wall) if wall > 0 else 0.0


def busy_cpus(sample_s: float = 1.0) -> float:
    """CPUs in use over a short sample (the servers idle, so this is everybody else)."""
    before = _busy_seconds()
    time.sleep(sample_s)
    return (_busy_seconds() - before) / sample_s


def wait_quiet(max_wait_s: float) -> float:
    """Wait up to ``max_wait_s`` for fewer than ``QUIET_CPUS`` busy CPUs; the last sample."""
    deadline = time.monotonic() + max_wait_s
    busy = busy_cpus()
    while busy >= QUIET_CPUS and time.monotonic() < deadline:
        busy = busy_cpus()
    return busy


REFERENCE_ROWS = 50_000


def _python_work() -> None:
    """Hashing, string formatting and dict/set work, the mix a row parser does."""
    seen: dict[str, int] = {}
    for i in range(REFERENCE_ROWS):
        key = hashlib.sha256(f"{i:018d}|name-{i % 977}".encode()).hexdigest()
        seen[key[:16]] = len(key.split("a"))
    assert len(seen) == REFERENCE_ROWS


def _sqlite_work() -> None:
    """Inserts into an in-memory table with a random-key index, as an import's writer does."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, h TEXT, b BLOB, n TEXT)")
    connection.execute("CREATE UNIQUE INDEX ix_t_h ON t (h)")
    rows = [(i, hashlib.md5(str(i).encode()).hexdigest(), b"x" * 40, "n" * 20)
            for i in range(REFERENCE_ROWS)]  # fmt: skip
    connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    connection.close()


def reference_ms(rounds: int = 5) -> tuple[float, float]:
    """CPU milliseconds of two fixed workloads (the best of ``rounds``): pure Python, and
    SQLite inserts. The same code's figures from machines (or days) whose reference differs are
    not comparable: on 2026-12-01 one unchanged people import cost 57 CPU s in one session and
    about 157 in another, on machines of the same name."""
    best: list[float] = []
    for work in (_python_work, _sqlite_work):
        times = []
        for _ in range(rounds):
            started = time.process_time()
            work()
            times.append((time.process_time() - started) * 1000)
        best.append(min(times))
    return best[0], best[1]


def reference_text() -> str:
    python_ms, sqlite_ms = reference_ms()
    return (
        f"reference workloads {python_ms:.0f} ms Python, {sqlite_ms:.0f} ms SQLite (`bench/cpu.py`)"
    )
