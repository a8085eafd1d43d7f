"""Pushed lists (大数据推送): CSV/XLSX rows by ID number or phone with origin and arrival time,
streamed in chunks through the same merge-and-classify path as every other channel.

1. Each row is checked alone and the valid ones sealed (``checking``: for a large file on
   disk, by a second process while this one writes); refused rows are counted, the first
   ``MAX_LISTED`` listed with their line and reason.
2. Per chunk: people found by keyed hash and, for the rows that name one, the origins
   graded (``match_many``), by the second process when the command lets it read the
   database (``child_reads``), else here and in ``trips.attach``; then rows of people outside
   the importer's jurisdiction refused, the others merged into trips and classified
   (``trips.attach``), and the reports written with Core inserts. A row no registered
   person matches is kept as an unmatched report (``person_id`` null) in the importer's
   region, for officers to match.
3. The file's SHA-256 digest is the ``batch_ref``; a row already stored under that digest and
   line number is skipped, so importing the same file again changes nothing.

Nothing is committed here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.arrivals.intake import errors, identity, trips
from fangkong.arrivals.intake.checking import Checked, Checker, Row, checked_chunks
from fangkong.arrivals.intake.schemas import ImportReport, RefusedRow
from fangkong.arrivals.riskareas.matching import match_many
from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock, offload, tabular
from fangkong.core.heap import fewer_collections
from fangkong.core.principal import Principal
from fangkong.db import Database, bulk_insert, make_engine
from fangkong.healthcode import service as healthcode
from fangkong.models.arrivals import ArrivalReport

MAX_LISTED = 1_000
CHILD_MIN_BYTES = 4 * 1024 * 1024  # ~37,000 rows: below it, starting a process costs more
# the child runs a chunk ahead and waits most of the time: when it contends for a core with
# this process or the database server, they go first (bench/BENCHMARKS.md, 2026-12-03)
CHILD_NICE = 8
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
COLUMN_HEADERS = {
    "id_number": "身份证号", "phone": "手机号", "name": "姓名", "origin_province": "来源省",
    "origin_city": "来源市", "origin_district": "来源区县", "origin_area": "来源详细地址",
    "departed_on": "出发日期", "arrived_at": "抵达时间", "transport": "交通方式",
    "transport_no": "车次航班车牌",
}  # fmt: skip
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {k: k for k in COLUMN_HEADERS}
ALIASES |= {"身份证": "id_number", "证件号码": "id_number", "电话": "phone", "手机": "phone",
            "省": "origin_province", "市": "origin_city", "区县": "origin_district",
            "抵达日期": "arrived_at", "到达时间": "arrived_at",
            "车次/航班": "transport_no"}  # fmt: skip
REQUIRED = frozenset({"origin_province", "origin_district", "arrived_at"})
EXAMPLE = ("110101199003070011", "13800138000", "张三", "北京市", "北京市", "朝阳区",
           "望京街道", "2026-11-28", "2026-11-30 14:20", "火车", "G1234")  # fmt: skip

REPORTS = ArrivalReport.metadata.tables["arrival_reports"]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="抵返人员推送")


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_path(path: Path) -> str:
    found = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            found.update(block)
    return found.hexdigest()


@dataclass
class Import:
    session: Session
    settings: Settings
    actor: Principal
    batch_ref: str
    report: ImportReport = field(init=False)
    done: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.report = ImportReport(batch_ref=self.batch_ref)
        self.protect = identity.protector(self.settings.data_key_bytes)
        self.edition = healthcode.current_edition(self.session)
        statement = select(ArrivalReport.row_no).where(ArrivalReport.batch_ref == self.batch_ref)
        self.done = {n for n in self.session.scalars(statement) if n is not None}
        self.started = clock.now()

    def checker(self) -> Checker:
        return Checker(now=self.started, today=clock.local_today())

    def refuse(self, line: int, code: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejected_lines) < MAX_LISTED:
            self.report.rejected_lines.append(
                RefusedRow(line=line, code=code, message=errors.REASONS[code])
            )

    def run(
        self, chunks: Iterable[Checked], progress: Callable[[int], None] | None = None
    ) -> ImportReport:
        with fewer_collections():  # an upload's too, not only the command's
            for checked in chunks:
                self._chunk(self._counted(checked))
                if progress is not None:
                    progress(checked.size)
        if self.report.rows == 0:
            raise errors.EmptyList()
        self.report.rejected_lines.sort(key=lambda row: row.line)
        self._audit()
        return self.report

    def _counted(self, checked: Checked) -> list[Row]:
        """The chunk's rows to write; its refused and skipped lines counted."""
        self.report.rows += checked.size
        self.report.unchanged += checked.stored
        for line, code in checked.refused:
            self.refuse(line, code)
        return checked.rows

    def _chunk(self, rows: list[Row]) -> None:
        if not rows:
            return
        find_people(self.session, [row for row in rows if not row.looked_up])
        kept: list[Row] = []
        for row in rows:
            if row.person_grid is not None and not self.actor.covers(row.person_grid):
                self.refuse(row.line, "arrival.outside_jurisdiction")
                continue
            row.region_code = row.person_grid or self.actor.region_code
            row.name = row.name or row.person_name
            kept.append(row)
        grids = {row.person_id: row.person_grid for row in kept
                 if row.person_id is not None and row.person_grid is not None}  # fmt: skip
        attached = trips.attach(self.session, self.edition, kept, detach=True, grids=grids)  # type: ignore[arg-type]
        self.report.trips_new += len(attached.new_trips)
        self.report.trips_merged += len(attached.merged_trips)
        self._write(kept)

    def _write(self, rows: list[Row]) -> None:
        if not rows:
            return
        values = [self._values(row) for row in rows]
        # Core: the ORM's bulk insert groups rows by which values are None (no phone, no
        # departure date, unmatched) and sends many more statements.
        bulk_insert(self.session.connection(), REPORTS, values)
        matched = sum(1 for r in rows if r.person_id is not None)
        self.report.accepted += len(rows)
        self.report.matched += matched
        self.report.unmatched += len(rows) - matched

    def _values(self, row: Row) -> dict[str, Any]:
        return {
            "channel": "pushed", "person_id": row.person_id, "trip_id": row.trip_id,
            "name": row.name, "id_number_enc": row.id_enc, "id_number_hash": row.id_hash,
            "id_number_masked": row.id_masked, "phone_enc": row.phone_enc,
            "phone_hash": row.phone_hash, "phone_masked": row.phone_masked,
            "origin_province": row.origin_province, "origin_city": row.origin_city,
            "origin_district": row.origin_district, "origin_code": row.origin_code,
            "origin_area": row.origin_area, "departed_on": row.departed_on,
            "arrived_at": row.arrived_at, "transport": row.transport,
            "transport_no": row.transport_no, "dest_address": "",
            "region_code": row.region_code, "batch_ref": self.batch_ref, "row_no": row.line,
            "reported_by": self.actor.id, "reported_at": self.started,
        }  # fmt: skip

    def _audit(self) -> None:
        after = self.report.model_dump(exclude={"rejected_lines"})
        audit.record(self.session, actor=self.actor, action="arrival.list_imported",
                     object_type="arrival_list", object_id=self.batch_ref,
                     region_code=self.actor.region_code, after=after)  # fmt: skip
        self.session.flush()


def import_upload(
    session: Session, settings: Settings, *, actor: Principal, filename: str, data: bytes
) -> ImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    work = Import(session, settings, actor, digest_bytes(data))
    return work.run(checked_chunks(rows, work.checker(), work.protect, stored=work.done))


def import_path(
    session: Session, settings: Settings, *, actor: Principal, path: Path,
    progress: Callable[[int], None] | None = None, in_child: bool = False,
    child_reads: bool = False,
) -> ImportReport:  # fmt: skip
    """Import a list from disk. ``in_child`` (a command, whose one thread forks the child
    before any other starts): a file of at least ``CHILD_MIN_BYTES`` is read, checked and
    sealed by a forked second process (``core.offload``) while this one writes the chunk
    before. ``child_reads`` (with such a process only): it also finds each row's person and
    grades its origin, over a connection of its own to the session's database. It sees only
    what is committed: the people and the national list, which the import never writes. A
    caller whose session holds people not committed yet (a test's rolled-back transaction)
    must leave it off."""
    work = Import(session, settings, actor, digest_path(path))
    forked = in_child and path.stat().st_size >= CHILD_MIN_BYTES
    url = _url(session) if forked and child_reads else None
    args = (path, work.checker(), settings.data_key_bytes, frozenset(work.done), url)
    chunks: Generator[Checked, None, None]
    if forked:
        chunks = offload.items(_checked_file, args, name="list's checking", start="fork",
                               nice=CHILD_NICE, prefetch=_waits_on_server(session))  # fmt: skip
    else:
        chunks = _checked_file(*args)
    try:
        return work.run(chunks, progress)
    finally:
        chunks.close()


def _waits_on_server(session: Session) -> bool:
    """Whether this process waits on a database server with the GIL released (PostgreSQL):
    then the next chunk is received and unpickled by a thread meanwhile (``offload``'s
    ``prefetch``). SQLite works inside this process, holding the GIL between rows."""
    return session.get_bind().dialect.name == "postgresql"


def _url(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=False)


def _checked_file(
    path: Path, checker: Checker, key: bytes, stored: frozenset[int], url: str | None = None
) -> Generator[Checked, None, None]:
    """The file's chunks, checked and sealed (in this process or in the child); with ``url``,
    their people found and origins graded too (in the child)."""
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    chunks = checked_chunks(rows, checker, identity.protector(key), stored=stored)
    return chunks if url is None else _looked_up(chunks, url)


def _looked_up(chunks: Iterable[Checked], url: str) -> Generator[Checked, None, None]:
    """Each chunk with its people found and their origins graded, each chunk in a reading
    transaction of its own (``Database.reads``: on SQLite it never waits for the writer's
    lock), on a new connection: the one a forked child inherits stays the parent's."""
    database = Database(make_engine(url, pool_size=1))
    try:
        for checked in chunks:
            with database.reads() as session:
                find_people(session, checked.rows)
                grade_origins(session, [row for row in checked.rows if row.person_id])
            yield checked
    finally:
        database.engine.dispose()


def find_people(session: Session, rows: Sequence[Row]) -> None:
    """Set each row's person (id, grid and name) from its ID number's hash, else its phone's;
    mark every row looked up."""
    by_id = identity.homes_by_hash(
        session, "id_number_hash", [r.id_hash for r in rows if r.id_hash]
    )
    by_phone = identity.homes_by_hash(
        session, "phone_hash", [r.phone_hash for r in rows if r.phone_hash]
    )
    for row in rows:
        person = by_id.get(row.id_hash or "") or by_phone.get(row.phone_hash or "")
        if person is not None:
            row.person_id, row.person_grid, row.person_name = (
                person.id,
                person.grid_code,
                person.name,
            )
        row.looked_up = True


def grade_origins(session: Session, rows: Sequence[Row]) -> None:
    """Set each row's origin grade over its travel days (one query, ``match_many``)."""
    origins = [trips.travel_origin(trips.Place.of(row)) for row in rows]  # type: ignore[arg-type]
    for row, match in zip(rows, match_many(session, origins), strict=True):
        row.match = match


def count_rows(path: Path) -> int | None:
    """For a progress bar: the data lines of a CSV (an XLSX is not counted)."""
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)
