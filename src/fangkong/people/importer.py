"""Importing people from CSV or XLSX: streamed, in batches, upserted by the ID number's hash.

The file is read row by row and handled in batches. Each batch is parsed first
(``import_columns``: checks, then encryption and keyed hashes; no database) and then written
(``import_batch``: a few lookups for the whole batch, executemany/COPY writes). A large file on
disk is parsed in a second process while this one writes (``import_worker``).

A large file into a registry without people (a city's first load) takes a faster path with the
same outcome: the secondary indexes, including the likely-duplicate key's, and on PostgreSQL the
foreign keys between people and households are dropped while it loads and restored at the end
(the keys then check every row at once, and a household is created with its head); the writer
looks up only the rows whose ID hash the run may already have written (``import_seen``), and
pairs likely duplicates in one statement at the end. People and households stay locked until
the load commits; regions do not.

Every rejected row gets its line and a stable code. A file refused as a whole (unknown or
missing columns, not CSV/XLSX) raises before anything is written; one broken mid-file raises
too, and the caller's rollback undoes the batches before it. The caller owns the transaction
(a dry run rolls it back). One audit row records the run and its counts.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.heap import fewer_collections
from fangkong.core.principal import Principal
from fangkong.core.tabular import UnreadableFile, read_csv, read_upload
from fangkong.people import counts
from fangkong.people import import_driver as driver
from fangkong.people import import_store as store
from fangkong.people.import_batch import BatchWriter
from fangkong.people.import_columns import COLUMNS, REQUIRED, check_columns, text_row
from fangkong.people.import_schemas import ImportReport, RejectedRow
from fangkong.people.import_template import template_csv, template_xlsx
from fangkong.people.import_worker import ParsedFile, parse_here, parse_path
from fangkong.people.protect import Protector

MAX_UPLOAD_BYTES = 50 * 1024 * 1024

Progress = Callable[[int], None]
__all__ = [
    "import_path",
    "import_rows",
    "import_stream",
    "import_upload",
    "recount_all",
    "template_csv",
    "template_xlsx",
]


def import_rows(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    rows: Iterable[dict[str, str]],
    today: date,
    progress: Progress | None = None,
    source: str = "stdin",
) -> ImportReport:
    """Import rows keyed by the English column names; row numbers start at 2, as in a file."""
    job = _Job(actor, protector, today, progress, source or "stdin")
    numbered = ((line, text_row(row)) for line, row in enumerate(rows, start=2))
    first = next(numbered, None)
    if first is not None:
        check_columns(first[1])
    rows_with_lines = chain([first] if first else [], numbered)
    return _run(session, parse_here(rows_with_lines, protector=protector, today=today), job)


def import_upload(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    filename: str,
    data: bytes,
    today: date,
) -> ImportReport:
    """Import an uploaded CSV (UTF-8) or XLSX file of at most ``MAX_UPLOAD_BYTES``."""
    job = _Job(actor, protector, today, None, filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(f"larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MiB")
    rows = read_upload(filename, data, COLUMNS, REQUIRED, strict=True)
    return _run(session, parse_here(rows, protector=protector, today=today), job)


def import_path(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    path: Path,
    today: date,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV or XLSX file from disk, streamed (never read whole into memory)."""
    job = _Job(actor, protector, today, progress, path.name)
    return _run(session, parse_path(path, protector=protector, today=today), job)


def import_stream(
    session: Session,
    *,
    actor: Principal,
    protector: Protector,
    today: date,
    stream: IO[str] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import CSV text from a stream (standard input by default)."""
    job = _Job(actor, protector, today, progress, "stdin")
    rows = read_csv(stream or sys.stdin, COLUMNS, REQUIRED, strict=True)
    return _run(session, parse_here(rows, protector=protector, today=today), job)


def recount_all(session: Session) -> int:
    """Recount the seven counts of every grid that has people or households; returns how many."""
    return counts.recount_grids(session, counts.populated_grids(session))


class _Job:
    """Who imports, with which key, as of which day, from where; and since when."""

    def __init__(
        self,
        actor: Principal,
        protector: Protector,
        today: date,
        progress: Progress | None,
        source: str,
    ) -> None:
        self.actor, self.protector, self.today = actor, protector, today
        self.progress, self.source = progress, source
        self.started = time.perf_counter()


def _run(session: Session, parsed: ParsedFile, job: _Job) -> ImportReport:
    fresh = _into_empty_table(session, parsed)
    writer = BatchWriter(
        session=session,
        actor=job.actor,
        protector=job.protector,
        today=job.today,
        present=parsed.present,
        fresh=fresh,
    )
    keep = driver.KEPT_WHILE_LOADING - ({driver.MATCH_KEY_INDEX} if fresh else set())
    unchecked = driver.CHECKED_AFTER_FIRST_LOAD if fresh else frozenset()
    try:
        with (
            driver.bulk_cache(session, large=parsed.in_child),
            fewer_collections(large=parsed.in_child),
            driver.deferred_indexes(
                session, store.PEOPLE, rows_expected=parsed.estimated_rows, keep=keep
            ),
            driver.deferred_foreign_keys(
                session, (store.PEOPLE, store.HOUSEHOLDS), names=unchecked
            ) as unchecked_now,
        ):
            # Dropping their foreign keys locked people and households for the transaction.
            writer.heads_first = writer.households.held = unchecked_now
            for batch in parsed.batches:
                writer.rejected.extend(batch.refused)
                writer.write(batch.candidates, clock.now())
                if job.progress is not None:
                    job.progress(batch.size)
    finally:
        parsed.close()
    writer.flag_duplicates_of_fresh_run()
    _finish(session, writer, job)
    return _report(writer, time.perf_counter() - job.started)


def _into_empty_table(session: Session, parsed: ParsedFile) -> bool:
    """A large file into a registry without people: the load defers the indexes (and so holds
    the table alone) and the writer skips the lookups that can only find this run's rows."""
    return (
        parsed.in_child and parsed.estimated_rows > 0 and store.max_id(session, store.PEOPLE) == 0
    )


def _finish(session: Session, writer: BatchWriter, job: _Job) -> None:
    counts.recount_grids(session, writer.touched, today=job.today)
    after = {
        "inserted": writer.inserted,
        "updated": writer.updated,
        "unchanged": writer.unchanged,
        "rejected": len(writer.rejected),
        "flagged_duplicates": writer.flagged_duplicates,
    }
    audit.record(
        session,
        actor=job.actor,
        action="person.import",
        object_type="person_import",
        object_id=job.source[:64],
        region_code=job.actor.region_code,
        after=after,
    )
    session.flush()


def _report(writer: BatchWriter, seconds: float) -> ImportReport:
    rejected = [
        RejectedRow.model_construct(row=line, code=code, message=message)
        for line, code, message in sorted(writer.rejected)
    ]
    return ImportReport.model_construct(
        inserted=writer.inserted,
        updated=writer.updated,
        unchanged=writer.unchanged,
        rejected=rejected,
        flagged_duplicates=writer.flagged_duplicates,
        seconds=round(seconds, 3),
    )
