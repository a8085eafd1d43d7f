"""Crash safety of every registered bulk path (tests/*/harness.py ``bulk_paths``).

For each: the same file imported by the real command into two databases with the same keys.
One run goes to the end (the reference). In the other database the command is killed with
SIGKILL at a random moment of its run, then run again to the end. After the kill the database
holds only rows of the reference (nothing half-written); after the second run exactly the
reference's rows (none lost, none twice). The moment comes from a seed printed on failure;
``FANGKONG_CRASH_SEED`` replays it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_support import FANGKONG, CliHome
from databases import database_name, recreate_postgres, with_database
from fangkong.core import security
from fangkong.db import make_engine
from harness.registry import BulkPath, load

BULK_PATHS = [path for domain in load() for path in domain.bulk_paths]


def test_bulk_paths_are_registered():
    assert "people import" in {path.name for path in BULK_PATHS}


NAMES = ("reference", "killed")


@pytest.fixture
def database_urls(database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of the suite's kind: SQLite files, or PostgreSQL databases beside
    the suite's own (dropped afterwards)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'reference.db'}", f"sqlite:///{tmp_path / 'killed.db'}"
        return
    urls = [with_database(database_url, f"{database_name(database_url)}_{n}") for n in NAMES]
    for url in urls:
        recreate_postgres(url, create=True)
    yield urls[0], urls[1]
    for url in urls:
        recreate_postgres(url, create=False)


def _home(tmp_path: Path, url: str, keys: dict[str, str]) -> CliHome:
    home = CliHome(tmp_path)
    home.database_url = url
    home.env |= keys | {"FANGKONG_DATABASE_URL": url}
    return home


def _prepared(home: CliHome, bulk: BulkPath, work: Path) -> None:
    for command in (("db", "upgrade"), *bulk.prepare(work)):
        [done] = home.run(command)
        assert done.returncode == 0, done.stderr


def _snapshot(home: CliHome, bulk: BulkPath) -> list[tuple[object, ...]]:
    engine = make_engine(home.database_url)
    try:
        with engine.connect() as connection:
            return bulk.snapshot(connection)
    finally:
        engine.dispose()


def _killed_at(home: CliHome, args: tuple[str, ...], seconds: float) -> bool:
    """Start the command, SIGKILL it (and any child) after ``seconds``; whether it was still
    running then."""
    process = subprocess.Popen(
        [str(FANGKONG), *args],
        env=home.env,
        cwd=home.home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


@pytest.mark.parametrize("bulk", BULK_PATHS, ids=[path.name for path in BULK_PATHS])
def test_a_killed_bulk_run_loses_and_doubles_nothing(
    bulk: BulkPath, database_urls: tuple[str, str], tmp_path: Path
):
    seed = int(os.environ.get("FANGKONG_CRASH_SEED", time.time_ns() % 1_000_000))
    data = tmp_path / "bulk.csv"
    bulk.write_file(data, bulk.rows)
    # One data key for both databases: the keyed hashes of the two must agree.
    keys = {"FANGKONG_DATA_KEY": security.new_key(), "FANGKONG_SECRET_KEY": security.new_key()}
    homes = []
    for name, url in zip(("reference", "killed"), database_urls, strict=True):
        (tmp_path / name).mkdir()
        homes.append(_home(tmp_path / name, url, keys))
        _prepared(homes[-1], bulk, tmp_path / name)
    reference, killed = homes
    started = time.perf_counter()
    [done] = reference.run(bulk.command(data))
    full_run = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    expected = _snapshot(reference, bulk)
    assert expected, "the reference run wrote nothing"

    moment = random.Random(seed).uniform(0.2, 0.9) * full_run
    was_running = _killed_at(killed, bulk.command(data), moment)
    after_kill = _snapshot(killed, bulk)
    [again] = killed.run(bulk.command(data))
    context = f"seed {seed}: killed at {moment:.2f} s of a {full_run:.2f} s run ({was_running=})"
    assert again.returncode == 0, f"{context}: {again.stderr}"
    assert set(after_kill) <= set(expected), f"{context}: rows the reference does not have"
    assert _snapshot(killed, bulk) == expected, f"{context}: rows lost or doubled"
