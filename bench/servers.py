"""Servers under test: each in its own process group on a free loopback port, always stopped.

``Server`` is a context manager: leaving it (normally, by an exception or by Ctrl-C) sends
SIGTERM to the whole process group (uvicorn's supervisor and its workers), then SIGKILL to
whatever is still there after a grace period.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 10.0
READY_POLL_SECONDS = 0.2


class ServerError(RuntimeError):
    """A server exited early or never answered its readiness URL."""


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def get_status(url: str, *, headers: dict[str, str] | None = None, timeout: float = 2.0) -> int:
    """The HTTP status of one GET (0 when nothing answered)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


class Server:
    """One server process group; ``url(path)`` addresses it."""

    def __init__(
        self, name: str, command: Sequence[str], *, port: int, env: dict[str, str], log: Path
    ) -> None:
        self.name, self.command, self.port, self.env, self.log = name, command, port, env, log
        self._process: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    @property
    def pgid(self) -> int:
        """The process group of the supervisor and its workers (the supervisor's pid)."""
        if self._process is None:
            raise ServerError(f"{self.name} is not running")
        return self._process.pid

    def __enter__(self) -> Server:
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                self.command, env=self.env, cwd=self.log.parent, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def wait_ready(self, path: str, *, timeout_s: float = 60.0) -> None:
        """Poll ``path`` until it answers 200; fail at once if the process has exited."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise ServerError(f"{self.name} exited early:\n{self.log_tail()}")
            if get_status(self.url(path), timeout=1.0) == 200:
                return
            time.sleep(READY_POLL_SECONDS)
        raise ServerError(f"{self.name} not ready after {timeout_s:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_GRACE_SECONDS)
        # Workers may outlive the supervisor by a moment; the group id is the supervisor's pid.
        _signal_group(process.pid, signal.SIGKILL)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)
