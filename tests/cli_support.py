"""Run the real ``fangkong`` command in subprocesses against its own SQLite file.

The CLI reads its settings once per process from the environment, and a subprocess is what an
operator runs. Each start costs a second or two of imports, so independent commands run side
by side, and the database is copied from one template migrated once per test run.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fangkong.core import security
from fangkong.db import make_engine

FANGKONG = Path(sys.executable).with_name("fangkong")
Result = subprocess.CompletedProcess


@dataclass(frozen=True)
class Input:
    """A command with text for its standard input."""

    args: tuple[str | Path, ...]
    stdin: str


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

    def run(self, *commands: tuple[str | Path, ...] | Input) -> list[Result[str]]:
        """Run the commands side by side; one finished process per command, in order."""
        started = [self._start(c if isinstance(c, Input) else Input(c, "")) for c in commands]
        results = []
        for process, command in started:
            out, err = process.communicate(command.stdin, timeout=120)
            results.append(Result(process.args, process.returncode, out, err))
        return results

    def _start(self, command: Input) -> tuple[subprocess.Popen[str], Input]:
        process = subprocess.Popen(
            [str(FANGKONG), *map(str, command.args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
            cwd=self.home,
        )
        return process, command

    def one(self, statement: Any) -> Any:
        """The first row of ``statement`` in this home's database, or None."""
        engine = make_engine(self.database_url)
        try:
            with engine.connect() as connection:
                return connection.execute(statement).first()
        finally:
            engine.dispose()
