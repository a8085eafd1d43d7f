"""Run the real ``fangkong`` command in processes of its own against its own SQLite file.

The CLI reads its settings once per process from the environment, and a process of its own is
what an operator runs. Importing the whole application costs a few seconds, so commands are
forked from a server process that has imported ``fangkong.cli`` once (the standard library's
``forkserver`` start method with a preload): each command still gets a fresh process, its own
environment, working folder, standard input and output, and exit code, but no import wait.
Nothing is read from the environment at import time (``core.console.settings`` is read on
first use), so a forked command sees only the environment set here. Independent commands run
side by side, and the database is copied from one template migrated once per test run.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fangkong.cli import GROUPS
from fangkong.core import security
from fangkong.db import make_engine

FANGKONG = Path(sys.executable).with_name("fangkong")
TIMEOUT_SECONDS = 120
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(["fangkong.cli", *GROUPS.values()])  # every command group
_numbers = itertools.count()


@dataclass(frozen=True)
class Input:
    """A command with text for its standard input."""

    args: tuple[str | Path, ...]
    stdin: str


@dataclass(frozen=True)
class Result:
    """A finished command, shaped as ``subprocess.CompletedProcess``."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class _Files:
    stdin: Path
    stdout: Path
    stderr: Path


def _redirect(fd: int, path: Path, flags: int) -> None:
    opened = os.open(path, flags, 0o600)
    os.dup2(opened, fd)
    os.close(opened)


def _command(args: list[str], env: dict[str, str], cwd: Path, files: _Files) -> None:
    """In the forked process: become ``fangkong ARGS`` run from a shell in ``cwd``."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    _redirect(0, files.stdin, os.O_RDONLY)
    _redirect(1, files.stdout, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    _redirect(2, files.stderr, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.argv = [str(FANGKONG), *args]
    from fangkong.cli import main  # already imported by the fork server, with every group

    main()  # exits through SystemExit; multiprocessing turns its code into the exit code


class CliHome:
    """A working folder, a database and an environment for ``fangkong`` commands."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.database_url = f"sqlite:///{home / 'cli.db'}"
        self.data_key = security.new_key()
        base = {k: v for k, v in os.environ.items() if not k.startswith(("FANGKONG_", "LC_"))}
        self.env = base | {
            "FANGKONG_DATABASE_URL": self.database_url,
            "FANGKONG_DATA_KEY": self.data_key,
            "FANGKONG_SECRET_KEY": security.new_key(),
            "FANGKONG_ENV": "test",
            "FANGKONG_LOG_JSON": "false",
            "LANG": "C.UTF-8",
            "LANGUAGE": "",
            "PYTHONIOENCODING": "utf-8",
        }

    def copy_database(self, template: Path) -> None:
        target = self.home / "cli.db"
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)

    def run(self, *commands: tuple[str | Path, ...] | Input) -> list[Result]:
        """Run the commands side by side; one finished process per command, in order."""
        started = [self._start(c if isinstance(c, Input) else Input(c, "")) for c in commands]
        return [self._finish(*one) for one in started]

    def _start(self, command: Input) -> tuple[Any, list[str], _Files]:
        number = next(_numbers)
        files = _Files(
            *(self.home / f".run-{os.getpid()}-{number}.{n}" for n in ("in", "out", "err"))
        )
        files.stdin.write_text(command.stdin, encoding="utf-8")
        args = [str(a) for a in command.args]
        process = _FORKS.Process(target=_command, args=(args, self.env, self.home, files))
        process.start()
        return process, args, files

    def _finish(self, process: Any, args: list[str], files: _Files) -> Result:
        process.join(TIMEOUT_SECONDS)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise TimeoutError(f"fangkong {' '.join(args)} ran over {TIMEOUT_SECONDS} s")
        out, err = (p.read_text(encoding="utf-8") for p in (files.stdout, files.stderr))
        for path in (files.stdin, files.stdout, files.stderr):
            path.unlink()
        return Result([str(FANGKONG), *args], process.exitcode, out, err)

    def one(self, statement: Any) -> Any:
        """The first row of ``statement`` in this home's database, or None."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(statement).first()
        finally:
            engine.dispose()
