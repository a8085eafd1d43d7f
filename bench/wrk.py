"""``wrk``: install it from Debian when missing, run one bounded load, parse what it prints.

Only loopback URLs are accepted: this harness never sends load anywhere else.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

INSTALL = "apt-get update -qq && apt-get install -y -qq wrk"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost"})
# wrk prints durations as 1.23us, 4.56ms, 7.89s, 1.00m or 1.00h.
TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
# Seconds allowed beyond ``-d`` for wrk to connect, finish and print before it is killed.
GRACE_SECONDS = 30

_REQUESTS = re.compile(r"^Requests/sec:\s+([\d.]+)\s*$", re.MULTILINE)
_P99 = re.compile(r"^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.MULTILINE)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)\s*$", re.MULTILINE)
_SOCKET = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", re.MULTILINE
)


class WrkError(RuntimeError):
    """wrk could not be installed or run, or printed something this parser does not know."""


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests_per_s: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    output: str

    @property
    def clean(self) -> bool:
        """Every response was 2xx/3xx and no socket failed: the figures mean what they say."""
        return self.non_2xx == 0 and self.socket_errors == 0


def ensure_installed() -> str:
    """The path of ``wrk``, installing Debian's package first when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print(f"wrk not found; installing it: {INSTALL}", flush=True)
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    completed = subprocess.run(["bash", "-c", INSTALL], env=env, check=False)
    found = shutil.which("wrk")
    if completed.returncode != 0 or not found:
        raise WrkError(f"could not install wrk (exit {completed.returncode}); run: {INSTALL}")
    return found


def _to_ms(value: str, unit: str) -> float:
    return float(value) * TIME_UNITS_MS[unit]


def parse(output: str) -> WrkResult:
    """Requests/s, the 99th percentile latency and the error counts of a ``--latency`` run."""
    rate, p99, total = _REQUESTS.search(output), _P99.search(output), _TOTAL.search(output)
    if not (rate and p99 and total):
        raise WrkError(f"unexpected wrk output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    sockets = _SOCKET.search(output)
    return WrkResult(
        requests_per_s=float(rate.group(1)),
        p99_ms=_to_ms(p99.group(1), p99.group(2)),
        requests=int(total.group(1)),
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        output=output,
    )


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise WrkError(f"refusing to load {url}: only 127.0.0.1 is a target")


def run(
    url: str,
    *,
    duration_s: int,
    threads: int = 2,
    connections: int = 64,
    headers: tuple[str, ...] = (),
    wrk: str = "wrk",
) -> WrkResult:
    """One ``wrk --latency`` run; bounded by ``-d`` and killed if it overruns."""
    _check_loopback(url)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration_s}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=duration_s + GRACE_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise WrkError(f"wrk overran {duration_s + GRACE_SECONDS}s on {url}") from exc
    if completed.returncode != 0:
        raise WrkError(f"wrk exited {completed.returncode}: {completed.stderr.strip()}")
    return parse(completed.stdout)
