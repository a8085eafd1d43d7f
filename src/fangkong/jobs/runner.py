"""Run one job under a lock so two workers never run it at once, and record the run.

PostgreSQL: a session-level advisory lock held on a dedicated connection for the run.
SQLite: a lock row with an expiry (a crashed holder's lock lapses after ``LOCK_TTL``).
"""

from __future__ import annotations

import json
import os
import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import IntegrityError

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.db import Database
from fangkong.jobs.registry import Job
from fangkong.models import JobLock, JobRun

LOCK_TTL = timedelta(hours=2)
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


class JobBusy(RuntimeError):
    """Another worker holds the job's lock."""


@contextmanager
def job_lock(db: Database, name: str) -> Iterator[None]:
    if db.dialect == "postgresql":
        with _advisory_lock(db.engine, name):
            yield
        return
    _take_row_lock(db, name)
    try:
        yield
    finally:
        with db.transaction() as session:
            session.execute(delete(JobLock).where(JobLock.name == name, JobLock.holder == HOLDER))


@contextmanager
def _advisory_lock(engine: Engine, name: str) -> Iterator[None]:
    key = zlib.crc32(f"fangkong-job:{name}".encode())
    with engine.connect() as connection:
        if not connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
            raise JobBusy(name)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            connection.commit()


def _take_row_lock(db: Database, name: str) -> None:
    now = clock.now()
    try:
        with db.transaction() as session:
            taken = session.execute(
                update(JobLock)
                .where(JobLock.name == name, JobLock.locked_until < now)
                .values(holder=HOLDER, locked_until=now + LOCK_TTL)
            )
            if not getattr(taken, "rowcount", 0):
                session.add(JobLock(name=name, holder=HOLDER, locked_until=now + LOCK_TTL))
    except IntegrityError as exc:
        raise JobBusy(name) from exc


def run(db: Database, settings: Settings, job: Job, run_for: date) -> dict[str, Any]:
    """Run ``job`` for ``run_for`` under its lock; the run and its outcome are recorded."""
    with job_lock(db, job.name):
        run_id = _start(db, job.name, run_for)
        try:
            with db.transaction() as session:
                outcome = job.func(session, settings, run_for)
        except Exception as exc:
            _finish(db, run_id, "failed", repr(exc)[:2000])
            raise
        _finish(db, run_id, "ok", json.dumps(outcome, default=str))
        return outcome


def _start(db: Database, name: str, run_for: date) -> int:
    with db.transaction() as session:
        row = JobRun(name=name, run_for=run_for, status="running")
        session.add(row)
        session.flush()
        return row.id


def _finish(db: Database, run_id: int, status: str, detail: str) -> None:
    with db.transaction() as session:
        row = session.get(JobRun, run_id)
        if row is not None:
            row.status, row.detail, row.finished_at = status, detail, clock.now()
