"""Tools of ``bench/overload.py``: wrk with a status-counting Lua script, and a probe client.

wrk's own latency figures mix every answer, and under overload most answers are refusals, so
the latency of admitted requests is measured by the probe instead: a few keep-alive
connections, a thread each, paced, recording when each request left, how long it took and
its status.
"""

from __future__ import annotations

import http.client
import math
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import servers
import wrk

LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do totals[status] = (totals[status] or 0) + n end
  end
  for status, n in pairs(totals) do io.write(string.format("status %d %d\\n", status, n)) end
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("latency %d %d\\n", p, latency:percentile(p)))
  end
  local e = summary.errors
  io.write(string.format("sockets %d\\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("duration %d\\n", summary.duration))
end
"""
_STATUS = re.compile(r"^status (\d+) (\d+)$", re.MULTILINE)
_LATENCY = re.compile(r"^latency (\d+) (\d+)$", re.MULTILINE)
_SOCKETS = re.compile(r"^sockets (\d+)$", re.MULTILINE)
_DURATION = re.compile(r"^duration (\d+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Load:
    """One wrk run through the Lua script: answers by status, wrk's own latency percentiles."""

    connections: int
    seconds: float
    statuses: dict[int, int]
    percentiles_ms: dict[int, float]
    socket_errors: int

    @property
    def answers(self) -> int:
        return sum(self.statuses.values())

    @property
    def rate(self) -> float:
        return self.answers / self.seconds

    @property
    def ok_rate(self) -> float:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300) / self.seconds

    def share(self, status: int) -> float:
        return self.statuses.get(status, 0) / self.answers if self.answers else 0.0


def load(url: str, token: str, *, connections: int, seconds: int, workdir: Path) -> Load:
    """One bounded wrk run on loopback with the status-counting script."""
    if urlsplit(url).hostname not in wrk.LOOPBACK_HOSTS:
        raise RuntimeError(f"refusing to load {url}: only 127.0.0.1 is a target")
    script = workdir / "statuses.lua"
    script.write_text(LUA)
    command = [
        shutil.which("wrk") or "wrk", f"-t{min(2, connections)}", f"-c{connections}",
        f"-d{seconds}s", "--timeout", "10s", "-s", str(script),
        "-H", f"Authorization: Bearer {token}", url,
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + wrk.GRACE_SECONDS, check=False
    )
    duration, sockets = _DURATION.search(done.stdout), _SOCKETS.search(done.stdout)
    if done.returncode != 0 or not (duration and sockets):
        raise RuntimeError(f"wrk exited {done.returncode}: {done.stderr.strip()}\n{done.stdout}")
    return Load(
        connections=connections,
        seconds=int(duration.group(1)) / 1e6,
        statuses={int(s): int(n) for s, n in _STATUS.findall(done.stdout)},
        percentiles_ms={int(p): int(us) / 1000 for p, us in _LATENCY.findall(done.stdout)},
        socket_errors=int(sockets.group(1)),
    )


Sample = tuple[float, float, int]  # sent at (perf_counter s), latency ms, status (0: no answer)


class Probe:
    """Paced GETs from ``connections`` keep-alive connections, a thread each; every sample kept.

    Several connections because under overload most probes are refused: one connection would
    collect too few admitted answers for a p95. The rate is the total over all of them.
    """

    def __init__(
        self, port: int, path: str, token: str, *, rate: float, connections: int = 1
    ) -> None:
        self.port, self.path, self.interval = port, path, connections / rate
        self.headers = {"Authorization": f"Bearer {token}"}
        self.samples: list[Sample] = []  # list.append is atomic: the threads share it
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, name=f"probe-{i}", daemon=True)
            for i in range(connections)
        ]

    def __enter__(self) -> Probe:
        for thread in self._threads:
            thread.start()
            time.sleep(self.interval / len(self._threads))  # spread them over the interval
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self) -> None:
        connection = http.client.HTTPConnection(servers.HOST, self.port, timeout=30)
        next_at = time.perf_counter()
        while not self._stop.is_set():
            self.samples.append(self._one(connection))
            next_at = max(next_at + self.interval, time.perf_counter())
            self._stop.wait(next_at - time.perf_counter())
        connection.close()

    def _one(self, connection: http.client.HTTPConnection) -> Sample:
        sent = time.perf_counter()
        try:
            connection.request("GET", self.path, headers=self.headers)
            with connection.getresponse() as response:
                response.read()
                code = response.status
        except (OSError, http.client.HTTPException):
            connection.close()  # reconnects on the next request
            code = 0
        return sent, (time.perf_counter() - sent) * 1000, code

    def between(self, start: float, end: float) -> list[Sample]:
        """The samples sent in ``[start, end)``, in the order they were sent."""
        return sorted(s for s in list(self.samples) if start <= s[0] < end)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else math.nan
