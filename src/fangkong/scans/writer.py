"""Write-behind of the entry check's scans: the request queues its row, a thread writes batches.

An entry check must answer the door at once; the scan it records serves tracing later. So
the answer does not wait for the write (one durable commit per check was most of its cost,
bench/BENCHMARKS.md): the row joins this worker's queue and a thread writes what is queued
every ``scan_write_batch_ms`` (or as soon as ``FLUSH_ROWS`` are waiting), in one transaction
through ``repository.insert_many`` (duplicates of a visit are skipped, as in the bulk ingest).
A scan with a refused temperature is inserted on its own to get its id, and its fever
sentinel (发热哨点) is published in the same transaction.

What it costs: a scan is in the database up to one interval after its answer (the answer
says ``recorded: true`` and no ``scan_id``); a worker killed without its shutdown loses at
most what it had queued (a graceful stop writes the queue first). While the database is down
the queue holds up to ``scan_write_queue`` rows and is written when it is back; beyond that
the answer says ``recorded: false`` and the door staff note the visit by hand, as when the
database is down without a queue. A batch the database refuses for its content (not for
being down) is written row by row, and a row that still fails is logged and dropped, so one
bad row cannot stop the others.

With ``scan_write_batch_ms = 0``, or on a Database bound to one connection (the tests'
rolled-back transaction), ``write_now`` writes each scan before the answer, with its id.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from fangkong.core import events
from fangkong.db import Database
from fangkong.healthcode.events import FactRaised
from fangkong.policy.types import Reason
from fangkong.scans import repository

log = logging.getLogger(__name__)
FLUSH_ROWS = 2_000  # wake the writer early when this many rows wait
MAX_BACKOFF_S = 2.0
JOIN_TIMEOUT_S = 10.0


@dataclass(frozen=True, slots=True)
class Pending:
    values: dict[str, Any]  # the scans row (repository.COLUMNS)
    fever: bool  # raise the fever sentinel once the row has its id


def fever_fact(person_id: int, scan_id: int) -> FactRaised:
    """The fever sentinel (发热哨点) a refused temperature raises for the health code."""
    return FactRaised(
        person_id, Reason.FEVER_PENDING_TEST, source="entry_check", ref=f"scan:{scan_id}"
    )


def write_one(session: Session, item: Pending) -> int | None:
    """Insert one scan and raise its fever sentinel; the id, None for a visit already stored."""
    scan_id = repository.insert_scan(session, item.values)
    if scan_id is not None and item.fever:
        events.publish(session, fever_fact(item.values["person_id"], scan_id))
    return scan_id


def write_batch(session: Session, items: Sequence[Pending]) -> None:
    """One batch in the caller's transaction: fevers one by one (their ids), the rest at once."""
    repository.insert_many(session, [item.values for item in items if not item.fever])
    for item in items:
        if item.fever:
            write_one(session, item)


class ScanWriter:
    def __init__(self, db: Database, *, interval_ms: int, capacity: int) -> None:
        self.db = db
        self.interval = interval_ms / 1000
        self.capacity = capacity
        self.batched = interval_ms > 0 and isinstance(db.bind, Engine)
        self._queue: list[Pending] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._last_warning = -1.0

    @property
    def pending(self) -> int:
        return len(self._queue)

    def write_now(self, item: Pending) -> int | None:
        """Write one scan in a transaction of its own (blocking: call it from a thread)."""
        with self.db.sessions() as session:
            scan_id = write_one(session, item)
            session.commit()
        return scan_id

    def submit(self, item: Pending) -> bool:
        """Queue a scan (never blocks); False when the queue is full or the writer closed."""
        with self._lock:
            if self._closed or len(self._queue) >= self.capacity:
                return False
            self._queue.append(item)
            size = len(self._queue)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="scan-writer", daemon=True)
                self._thread.start()
        if size >= FLUSH_ROWS:
            self._wake.set()
        return True

    def flush(self) -> int:
        """Write what is queued now; the rows written (raises when the database is down, and
        the rows stay queued)."""
        with self._lock:
            items, self._queue = self._queue, []
        if not items:
            return 0
        try:
            self._write(items)
        except OperationalError:
            with self._lock:  # back to the front, in order, for the next try
                self._queue[:0] = items
            raise
        return len(items)

    def _write(self, items: list[Pending]) -> None:
        try:
            with self.db.sessions() as session:
                write_batch(session, items)
                session.commit()
        except OperationalError:
            raise
        except SQLAlchemyError:
            self._write_each(items)

    def _write_each(self, items: list[Pending]) -> None:
        for item in items:
            try:
                self.write_now(item)
            except OperationalError:
                raise
            except (DBAPIError, SQLAlchemyError):
                log.exception("scan refused by the database; dropped", extra={"scan": _brief(item)})

    def _run(self) -> None:
        while True:
            self._wake.wait(self._backoff())
            self._wake.clear()
            try:
                self.flush()
                self._failures = 0
            except OperationalError as exc:
                self._failures += 1
                self._warn(exc)
            except Exception:  # the thread must live on: log and try again next round
                log.exception("scan writer failed")
            if self._closed:
                return

    def _backoff(self) -> float:
        if not self._failures:
            return self.interval
        return min(MAX_BACKOFF_S, self.interval * 2.0**self._failures)

    def _warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning >= 1.0:  # no log flood while the database is down
            self._last_warning = now
            log.warning(
                "scans queued: the database is unavailable",
                extra={"pending": self.pending, "error": type(exc).__name__},
            )

    def close(self) -> None:
        """Stop taking scans and write what is queued (the app's shutdown)."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake.set()
        if thread is not None:
            thread.join(JOIN_TIMEOUT_S)
        try:
            self.flush()
        except OperationalError:
            log.error("scans lost at shutdown: the database is unavailable",
                      extra={"lost": self.pending})  # fmt: skip


def _brief(item: Pending) -> dict[str, Any]:
    """What a log line may say of a scan: no personal data beyond internal ids."""
    keys = ("venue_id", "person_id", "scanned_at", "source")
    return {key: str(item.values.get(key)) for key in keys}
