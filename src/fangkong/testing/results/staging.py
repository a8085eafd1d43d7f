"""The set-based half of a result upload, in SQL on the session's connection.

Checked lines go into a temporary table (PostgreSQL: ``COPY``; SQLite: ``executemany``). One
statement then joins them to ``tubes`` by barcode and gives each line its outcome:
a refusal code (unknown tube, repeated in the upload, not sealed, another lab, tested before
sampling), ``accept`` (the tube has no result yet), ``same`` (this very result is stored for the
tube already: a re-sent file) or ``conflict`` (the tube has another result). Then one UPDATE
sets the accepted tubes' results, one flags the conflicting tubes, and one INSERT keeps every
accepted or conflicting line in ``tube_results``. A repeated upload finds every line ``same``
and writes nothing.

The temporary tables live in the caller's transaction (dropped at commit on PostgreSQL, and
here before each upload), so a rollback leaves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Subquery, text
from sqlalchemy.orm import Session

from fangkong.models.base import UTCDateTime, sqlite_instant_text
from fangkong.testing.results.rows import Staged

PG_WORK_MEM = "512MB"
_COLUMNS = "line, barcode, result, ct_orf1ab, ct_n, tested_at"
_STAGE_PG = (
    "CREATE TEMP TABLE results_staged (line integer, barcode text, result text, "
    "ct_orf1ab float8, ct_n float8, tested_at timestamptz) ON COMMIT DROP"
)
_STAGE_SQLITE = (
    "CREATE TEMP TABLE results_staged (line INTEGER, barcode TEXT, result TEXT, "
    "ct_orf1ab REAL, ct_n REAL, tested_at TEXT)"
)
_RESOLVE = (
    "CREATE TEMP TABLE results_resolved AS "
    "SELECT s.line, s.barcode, s.result, s.ct_orf1ab, s.ct_n, s.tested_at, "
    "t.id AS tube_id, t.kind, CASE "
    "WHEN t.id IS NULL THEN 'testing.unknown_tube' "
    "WHEN s.copy > 1 THEN 'testing.duplicate_in_file' "
    "WHEN t.status = 'open' THEN 'testing.tube_not_sealed' "
    "WHEN t.lab_id IS NOT NULL AND t.lab_id <> {lab} THEN 'testing.tube_other_lab' "
    "WHEN s.tested_at < t.sampled_at THEN 'testing.tested_before_sampling' "
    "WHEN t.result IS NULL THEN 'accept' "
    "WHEN EXISTS (SELECT 1 FROM tube_results x WHERE x.tube_id = t.id AND x.result = s.result "
    "AND coalesce(x.ct_orf1ab, -1) = coalesce(s.ct_orf1ab, -1) "
    "AND coalesce(x.ct_n, -1) = coalesce(s.ct_n, -1) AND x.tested_at = s.tested_at) "
    "THEN 'same' ELSE 'conflict' "
    "END AS outcome "
    "FROM (SELECT line, barcode, result, ct_orf1ab, ct_n, tested_at, "
    "row_number() OVER (PARTITION BY barcode ORDER BY line) AS copy FROM results_staged) s "
    "LEFT JOIN tubes t ON t.barcode = s.barcode"
)
_UPDATE_ACCEPTED = (
    "UPDATE tubes SET status = 'resulted', result = r.result, ct_orf1ab = r.ct_orf1ab, "
    "ct_n = r.ct_n, tested_at = r.tested_at, resulted_at = :now, lab_id = :lab, "
    "received_at = coalesce(tubes.received_at, :now) "
    "FROM results_resolved r WHERE r.outcome = 'accept' AND tubes.id = r.tube_id"
)
_FLAG_CONFLICTS = (
    "UPDATE tubes SET conflict = TRUE "
    "WHERE id IN (SELECT tube_id FROM results_resolved WHERE outcome = 'conflict')"
)
_KEEP_LINES = (
    "INSERT INTO tube_results (tube_id, lab_id, result, ct_orf1ab, ct_n, tested_at, outcome, "
    "upload_ref, received_at) SELECT tube_id, :lab, result, ct_orf1ab, ct_n, tested_at, "
    "CASE outcome WHEN 'accept' THEN 'accepted' ELSE 'conflict' END, :ref, :now "
    "FROM results_resolved WHERE outcome IN ('accept', 'conflict') ORDER BY tube_id"
)
_COUNTS = (
    "SELECT outcome, kind, result, count(*) FROM results_resolved GROUP BY outcome, kind, result"
)
_REFUSED = (
    "SELECT line, barcode, outcome FROM results_resolved "
    "WHERE outcome NOT IN ('accept', 'same', 'conflict') ORDER BY line LIMIT :limit"
)
_POSITIVE_TUBES = (
    "SELECT tube_id, kind FROM results_resolved "
    "WHERE outcome = 'accept' AND result = 'positive' ORDER BY tube_id"
)
# The people of every newly negative tube, for the health code's bulk negative path.
# The upload's tubes first, then their members by tube (``CROSS JOIN``: SQLite keeps that
# order). Left free, SQLite walked the whole of ``tube_members`` in person order to spare
# the GROUP BY of ``healthcode.repository.upsert_negatives`` a sort: a full scan of every
# member ever sampled, per upload (a third of a day's time at 1,000,000 people, day 10).
_NEGATIVE_MEMBERS = (
    "SELECT m.person_id AS person_id, m.sampled_at AS sampled_at, "
    "(r.kind = 'single') AS single FROM results_resolved r "
    "CROSS JOIN tube_members m "
    "WHERE m.tube_id = r.tube_id AND r.outcome = 'accept' AND r.result = 'negative'"
)
# A single tube's result settles its person's open tasks (pool retest, antigen confirmation).
_CLOSE_TASKS = (
    "UPDATE test_tasks SET status = 'done', done_at = :now, done_tube_id = x.tube_id, "
    "result = x.result FROM (SELECT m.person_id, r.tube_id, r.result FROM results_resolved r "
    "JOIN tube_members m ON m.tube_id = r.tube_id "
    "WHERE r.outcome = 'accept' AND r.kind = 'single') x "
    "WHERE test_tasks.person_id = x.person_id AND test_tasks.status = 'open'"
)


_SINGLE_NEGATIVES = (
    "SELECT m.person_id FROM results_resolved r JOIN tube_members m ON m.tube_id = r.tube_id "
    "WHERE r.outcome = 'accept' AND r.kind = 'single' AND r.result = 'negative'"
)


@dataclass(frozen=True)
class Outcome:
    counts: dict[tuple[str, str | None, str], int]  # (outcome, kind, result) -> lines
    refused: list[tuple[int, str, str]]  # (line, barcode, code), the first ``listed``
    positive_tubes: list[tuple[int, str]]  # (tube id, kind)


class ResultStaging:
    """The temporary tables of one upload, on the session's connection (its transaction)."""

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()
        self.postgres = session.get_bind().dialect.name == "postgresql"
        self.close()  # what an earlier upload on this connection may have left
        self.connection.exec_driver_sql(_STAGE_PG if self.postgres else _STAGE_SQLITE)

    def _time(self, value: datetime) -> Any:
        return value if self.postgres else sqlite_instant_text(value)

    def add(self, rows: Sequence[Staged]) -> None:
        if not rows:
            return
        if self.postgres:
            cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY results_staged ({_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        values = [(*r[:5], sqlite_instant_text(r[5])) for r in rows]
        statement = f"INSERT INTO results_staged ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"  # noqa: S608
        self.connection.exec_driver_sql(statement, values)

    def resolve(self, *, lab_id: int, listed: int) -> Outcome:
        """Give every staged line its outcome (nothing is written to the real tables yet)."""
        run = self.connection.exec_driver_sql
        if self.postgres:
            run(f"SET LOCAL work_mem = '{PG_WORK_MEM}'")
            run("ANALYZE results_staged")
        run(_RESOLVE.format(lab=int(lab_id)))
        run("CREATE INDEX results_resolved_tube ON results_resolved (tube_id)")
        if self.postgres:
            run("ANALYZE results_resolved")
        counts = {
            (str(o), k, str(r)): int(n) for o, k, r, n in self.connection.execute(text(_COUNTS))
        }
        refused = self.connection.execute(text(_REFUSED), {"limit": listed}).all()
        positives = self.connection.execute(text(_POSITIVE_TUBES)).all()
        return Outcome(
            counts=counts,
            refused=[(int(line), str(code), str(outcome)) for line, code, outcome in refused],
            positive_tubes=[(int(tube), str(kind)) for tube, kind in positives],
        )

    def write(self, *, lab_id: int, upload_ref: str, now: datetime) -> None:
        """Store the accepted results, flag the conflicts, keep every such line."""
        at = self._time(now)
        self.connection.execute(text(_UPDATE_ACCEPTED), {"now": at, "lab": lab_id})
        self.connection.execute(text(_FLAG_CONFLICTS))
        params = {"lab": lab_id, "ref": upload_ref, "now": at}
        self.connection.execute(text(_KEEP_LINES), params)

    def close_tasks(self, now: datetime) -> int:
        result = self.connection.execute(text(_CLOSE_TASKS), {"now": self._time(now)})
        return int(getattr(result, "rowcount", 0) or 0)

    def single_negatives(self) -> list[int]:
        """The people whose single tube this upload made negative (their tasks are settled)."""
        rows = self.connection.execute(text(_SINGLE_NEGATIVES))
        return [int(person_id) for (person_id,) in rows]

    def negative_members(self) -> Subquery:
        """``(person_id, sampled_at, single)`` of each member of a newly negative tube."""
        members = text(_NEGATIVE_MEMBERS).columns(
            person_id=BigInteger(), sampled_at=UTCDateTime(), single=Boolean()
        )
        return members.subquery("negative_members")

    def close(self) -> None:
        self.connection.exec_driver_sql("DROP TABLE IF EXISTS results_resolved")
        self.connection.exec_driver_sql("DROP TABLE IF EXISTS results_staged")
