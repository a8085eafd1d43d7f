"""Carriers' passenger lists (航班/车次乘客名单): CSV or XLSX with Chinese headers, streamed
in chunks.

1. Each row is checked alone (``rows.Checker``); refused rows are counted, the first
   ``MAX_LISTED`` listed with their line and reason.
2. Per chunk: people found by the keyed hash of the ID number, else the phone
   (``arrivals.intake.identity``, one query per kind); a passenger living outside the
   importer's jurisdiction is refused. An unmatched passenger is kept (``person_id`` null) in
   the importer's region.
3. A passenger already stored on the same journey (mode, number, day and identity hash) is
   ``unchanged``: sending the same file again, or the same list as XLSX, changes nothing.
   The file's SHA-256 is kept as ``batch_ref`` with each row's line.

Rows are written with one executemany per chunk; nothing is committed here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.intake import identity
from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock, tabular
from fangkong.core.iterables import batched
from fangkong.core.principal import Principal
from fangkong.db import bulk_insert
from fangkong.models import Person
from fangkong.models.tracing import TravelRecord
from fangkong.tracing.trajectories import errors, repository
from fangkong.tracing.trajectories.rows import Checker, Passenger, Refused
from fangkong.tracing.trajectories.schemas import RefusedRow, TravelImportReport

CHUNK = 2_000
TRAVEL_RECORDS = TravelRecord.metadata.tables["travel_records"]
MAX_LISTED = 1_000
MAX_UPLOAD_BYTES = 32 * 1024 * 1024
COLUMN_HEADERS = {
    "mode": "交通方式", "number": "班次/车次", "travel_on": "日期", "carriage": "车厢",
    "seat": "座位", "name": "姓名", "id_number": "证件号码", "phone": "手机号",
    "from_station": "出发站", "to_station": "到达站", "departed_at": "出发时间",
    "arrived_at": "到达时间",
}  # fmt: skip
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {k: k for k in COLUMN_HEADERS}
ALIASES |= {"班次": "number", "车次": "number", "航班号": "number", "航班/车次": "number",
            "乘车日期": "travel_on", "出发日期": "travel_on", "身份证号": "id_number",
            "身份证": "id_number", "证件号": "id_number", "手机": "phone", "电话": "phone",
            "座位号": "seat"}  # fmt: skip
REQUIRED = frozenset({"mode", "number", "travel_on"})
EXAMPLE = ("火车", "G1234", "2022-11-01", "05", "12F", "张三", "110101199003070011",
           "13800138000", "哈尔滨西", "北京朝阳", "08:30", "14:40")  # fmt: skip
Rows = Iterable[tuple[int, dict[str, str]]]
Key = tuple[str, str, Any, str]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="乘客名单")


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
    report: TravelImportReport = field(init=False)

    def __post_init__(self) -> None:
        self.report = TravelImportReport(batch_ref=self.batch_ref)
        self.protect = identity.protector(self.settings.data_key_bytes)
        self.seen: set[Key] = set()

    def refuse(self, line: int, code: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejected_lines) < MAX_LISTED:
            self.report.rejected_lines.append(
                RefusedRow(line=line, code=code, message=errors.REASONS[code])
            )

    def run(self, rows: Rows, progress: Callable[[int], None] | None = None) -> TravelImportReport:
        self.started = clock.now()
        checker = Checker(today=clock.local_today())
        for chunk in batched(rows, CHUNK):
            good = []
            for line, raw in chunk:
                self.report.rows += 1
                try:
                    good.append(checker.check(line, raw))
                except Refused as refused:
                    self.refuse(line, refused.code)
            self._chunk(good)
            if progress is not None:
                progress(len(chunk))
        if self.report.rows == 0:
            raise errors.EmptyList()
        self.report.rejected_lines.sort(key=lambda row: row.line)
        self._audit()
        return self.report

    def _hashes(self, rows: list[Passenger]) -> tuple[dict[int, str], dict[int, str]]:
        """Each row's ID-number hash and phone hash (by line), computed once."""
        ids = {r.line: self.protect.id_hash(identity.ID_TYPE, r.id_number)
               for r in rows if r.id_number}  # fmt: skip
        phones = {r.line: self.protect.phone_hash(r.phone) for r in rows if r.phone}
        return ids, phones

    def _chunk(self, rows: list[Passenger]) -> None:
        if not rows:
            return
        ids, phones = self._hashes(rows)
        keys: dict[int, Key] = {
            r.line: (r.mode, r.number, r.travel_on, ids.get(r.line) or f"phone:{phones[r.line]}")
            for r in rows
        }
        stored = self._stored(ids, [phones[r.line] for r in rows if r.line not in ids])
        people = self._people(rows, ids, phones)
        kept: list[Passenger] = []
        for row in rows:
            key = keys[row.line]
            if key in stored:
                self.report.unchanged += 1
            elif key in self.seen:
                self.refuse(row.line, "travel.duplicate_in_file")
            elif self._place(row, people.get(row.line)):
                self.seen.add(key)
                kept.append(row)
        self._write(kept)

    def _stored(self, ids: dict[int, str], phones_only: list[str]) -> set[Key]:
        """The keys of passengers stored before: by ID hash, and by phone for rows without
        an ID number."""
        stored = repository.stored_keys(self.session, "id_number_hash", ids.values())
        return stored | repository.stored_keys(self.session, "phone_hash", phones_only)

    def _place(self, row: Passenger, person: Person | None) -> bool:
        if person is not None and not self.actor.covers(person.grid_code):
            self.refuse(row.line, "travel.outside_jurisdiction")
            return False
        row.person_id = person.id if person else None
        row.region_code = person.grid_code if person else self.actor.region_code
        row.name = row.name or (person.name if person else "")
        return True

    def _people(
        self, rows: list[Passenger], ids: dict[int, str], phones: dict[int, str]
    ) -> dict[int, Person]:
        by_id = identity.people_by_hash(self.session, "id_number_hash", ids.values())
        by_phone = identity.people_by_hash(self.session, "phone_hash", phones.values())
        found: dict[int, Person] = {}
        for row in rows:
            person = by_id.get(ids.get(row.line, "")) or by_phone.get(phones.get(row.line, ""))
            if person is not None:
                found[row.line] = person
        return found

    def _write(self, rows: list[Passenger]) -> None:
        if not rows:
            return
        values = [self._values(row, self.started) for row in rows]
        self.session.flush()
        bulk_insert(self.session.connection(), TRAVEL_RECORDS, values)
        matched = sum(1 for r in rows if r.person_id is not None)
        self.report.accepted += len(rows)
        self.report.matched += matched
        self.report.unmatched += len(rows) - matched

    def _values(self, row: Passenger, now: datetime) -> dict[str, Any]:
        sealed = identity.seal(self.protect, row.id_number, row.phone)
        return sealed.columns() | {
            "mode": row.mode, "number": row.number, "travel_on": row.travel_on,
            "departed_at": row.departed_at, "arrived_at": row.arrived_at,
            "from_station": row.from_station, "to_station": row.to_station,
            "carriage": row.carriage, "seat": row.seat, "seat_row": row.seat_row,
            "person_id": row.person_id, "name": row.name, "carrier": "",
            "region_code": row.region_code, "batch_ref": self.batch_ref, "row_no": row.line,
            "created_by": self.actor.id, "created_at": now,
        }  # fmt: skip

    def _audit(self) -> None:
        after = self.report.model_dump(exclude={"rejected_lines"})
        audit.record(self.session, actor=self.actor, action="travel.list_imported",
                     object_type="travel_list", object_id=self.batch_ref,
                     region_code=self.actor.region_code, after=after)  # fmt: skip
        self.session.flush()


def import_upload(
    session: Session, settings: Settings, *, actor: Principal, filename: str, data: bytes
) -> TravelImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return Import(session, settings, actor, hashlib.sha256(data).hexdigest()).run(rows)


def import_path(
    session: Session, settings: Settings, *, actor: Principal, path: Path,
    progress: Callable[[int], None] | None = None,
) -> TravelImportReport:  # fmt: skip
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return Import(session, settings, actor, digest_path(path)).run(rows, progress)
