"""Pushed lists (大数据推送): CSV/XLSX rows by ID number or phone with origin and arrival time,
streamed in chunks through the same merge-and-classify path as every other channel.

1. Each row is checked alone (identity, origin, dates, transport; a row repeating an earlier
   one's person and arrival is refused); refused rows are counted, the first ``MAX_LISTED``
   listed with their line and reason.
2. Per chunk: people found by keyed hash (two queries), rows of people outside the importer's
   jurisdiction refused, the others merged into trips and classified (``trips.attach``), then
   the reports written with Core inserts. A row no registered person matches is kept as an
   unmatched report (``person_id`` null) in the importer's region, for officers to match.
3. The file's SHA-256 digest is the ``batch_ref``; a row already stored under that digest and
   line number is skipped, so importing the same file again changes nothing.

Nothing is committed here.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fangkong.arrivals import places
from fangkong.arrivals.intake import errors, identity, trips
from fangkong.arrivals.intake.schemas import ImportReport, RefusedRow
from fangkong.arrivals.intake.trips import FUTURE_SKEW as _SKEW
from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock, tabular
from fangkong.core.errors import DomainError
from fangkong.core.heap import fewer_collections
from fangkong.core.iterables import batched
from fangkong.core.masking import mask_id_number, mask_phone
from fangkong.core.principal import Principal
from fangkong.db import bulk_insert
from fangkong.healthcode import service as healthcode
from fangkong.models.arrivals import ArrivalReport

CHUNK = 5_000
MAX_LISTED = 1_000
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
TRANSPORT = {"car": "car", "自驾": "car", "汽车": "car", "私家车": "car", "train": "train",
             "火车": "train", "高铁": "train", "plane": "plane", "飞机": "plane",
             "航班": "plane", "coach": "coach", "大巴": "coach", "客车": "coach",
             "ship": "ship", "船": "ship", "轮船": "ship", "other": "other",
             "其他": "other"}  # fmt: skip
_LOCAL = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
Rows = Iterable[tuple[int, dict[str, str]]]

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


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Row:
    """A checked row, shaped like a report for ``trips.attach`` (which sets ``trip_id``)."""

    line: int
    id_number: str | None
    phone: str | None
    name: str | None
    origin_province: str
    origin_city: str
    origin_district: str
    origin_code: str
    origin_area: str
    departed_on: date | None
    arrived_at: datetime
    transport: str | None
    transport_no: str | None
    channel: str = "pushed"
    person_id: int | None = None
    trip_id: int | None = None
    region_code: str = ""


def _arrived_at(text: str) -> datetime:
    value = text.strip().replace("/", "-")
    try:
        if _LOCAL.match(value):
            at = datetime.fromisoformat(value.replace(" ", "T"))
        else:
            at = datetime.fromisoformat(value)
    except ValueError:
        raise Refused("arrival.arrived_at_invalid") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=clock.LOCAL_TZ)
    return at.astimezone(UTC)


def _departed_on(text: str) -> date | None:
    value = text.strip().replace("/", "-")
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 8 else date.fromisoformat(value)
    except ValueError:
        raise Refused("arrival.departed_on_invalid") from None


def _short(value: str, limit: int) -> str:
    if len(value) > limit:
        raise Refused("arrival.too_long")
    return value


@dataclass
class Checker:
    now: datetime
    today: date
    seen: set[tuple[str, datetime]] = field(default_factory=set)

    def check(self, line: int, raw: dict[str, str]) -> Row:
        id_number = raw.get("id_number", "").strip() or None
        phone = raw.get("phone", "").strip() or None
        if not id_number and not phone:
            raise Refused("arrival.identity_missing")
        id_number = self._id(id_number)
        phone = self._phone(phone)
        place = places.find(raw.get("origin_province", ""), raw.get("origin_city", ""),
                            raw.get("origin_district", ""))  # fmt: skip
        if place is None:
            raise Refused("arrival.unknown_origin")
        arrived_at = _arrived_at(raw.get("arrived_at", ""))
        departed_on = _departed_on(raw.get("departed_on", ""))
        self._dates(departed_on, arrived_at)
        key = (id_number or f"phone:{phone}", arrived_at)
        if key in self.seen:
            raise Refused("arrival.duplicate_in_file")
        self.seen.add(key)
        return Row(
            line=line, id_number=id_number, phone=phone,
            name=_short(raw.get("name", "").strip(), 50) or None,
            origin_province=place.province, origin_city=place.city,
            origin_district=place.district, origin_code=place.code,
            origin_area=_short(raw.get("origin_area", "").strip(), 200),
            departed_on=departed_on, arrived_at=arrived_at,
            transport=self._transport(raw.get("transport", "")),
            transport_no=_short(raw.get("transport_no", "").strip(), 20) or None,
        )  # fmt: skip

    def remember(self, raw: dict[str, str]) -> None:
        """A row stored before: its person and arrival still make later repeats duplicates."""
        with contextlib.suppress(Refused):
            self.check(0, raw)

    def _id(self, number: str | None) -> str | None:
        if number is None:
            return None
        try:
            return identity.checked_id(number, self.today)
        except DomainError:
            raise Refused("arrival.bad_id_number") from None

    @staticmethod
    def _phone(phone: str | None) -> str | None:
        if phone is None:
            return None
        try:
            return identity.checked_phone(phone)
        except DomainError:
            raise Refused("arrival.bad_phone") from None

    def _dates(self, departed_on: date | None, arrived_at: datetime) -> None:
        if arrived_at > self.now + _SKEW:
            raise Refused("arrival.arrived_in_future")
        if departed_on and departed_on > arrived_at.astimezone(clock.LOCAL_TZ).date():
            raise Refused("arrival.dates_order")

    @staticmethod
    def _transport(text: str) -> str | None:
        value = text.strip().lower()
        if not value:
            return None
        if value not in TRANSPORT:
            raise Refused("arrival.transport_invalid")
        return TRANSPORT[value]


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

    def refuse(self, line: int, code: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejected_lines) < MAX_LISTED:
            self.report.rejected_lines.append(
                RefusedRow(line=line, code=code, message=errors.REASONS[code])
            )

    def run(self, rows: Rows, progress: Callable[[int], None] | None = None) -> ImportReport:
        self.started = clock.now()
        checker = Checker(now=self.started, today=clock.local_today())
        with fewer_collections():  # an upload's too, not only the command's
            self._chunks(rows, checker, progress)
        if self.report.rows == 0:
            raise errors.EmptyList()
        self.report.rejected_lines.sort(key=lambda row: row.line)
        self._audit()
        return self.report

    def _chunks(self, rows: Rows, checker: Checker, progress: Callable[[int], None] | None) -> None:
        for chunk in batched(rows, CHUNK):
            good = []
            for line, raw in chunk:
                self.report.rows += 1
                if line in self.done:  # stored by an earlier import of this file
                    self.report.unchanged += 1
                    checker.remember(raw)
                    continue
                try:
                    good.append(checker.check(line, raw))
                except Refused as refused:
                    self.refuse(line, refused.code)
            self._chunk(good)
            if progress is not None:
                progress(len(chunk))

    def _chunk(self, rows: list[Row]) -> None:
        if not rows:
            return
        people = self._people(rows)
        kept: list[Row] = []
        for row in rows:
            person = people.get(row.line)
            if person is not None and not self.actor.covers(person.grid_code):
                self.refuse(row.line, "arrival.outside_jurisdiction")
                continue
            row.person_id = person.id if person else None
            row.region_code = person.grid_code if person else self.actor.region_code
            row.name = row.name or (person.name if person else None)
            kept.append(row)
        attached = trips.attach(self.session, self.edition, kept, detach=True)  # type: ignore[arg-type]
        self.report.trips_new += len(attached.new_trips)
        self.report.trips_merged += len(attached.merged_trips)
        self._write(kept)

    def _people(self, rows: list[Row]) -> dict[int, Any]:
        """Each row's person (a row of id, grid and name) by line."""
        id_hashes = {r.line: self.protect.id_hash(identity.ID_TYPE, r.id_number)
                     for r in rows if r.id_number}  # fmt: skip
        phone_hashes = {r.line: self.protect.phone_hash(r.phone) for r in rows if r.phone}
        by_id = identity.homes_by_hash(self.session, "id_number_hash", id_hashes.values())
        by_phone = identity.homes_by_hash(self.session, "phone_hash", phone_hashes.values())
        found: dict[int, Any] = {}
        for row in rows:
            person = by_id.get(id_hashes.get(row.line, "")) or by_phone.get(
                phone_hashes.get(row.line, "")
            )
            if person is not None:
                found[row.line] = person
        self._hashes = (id_hashes, phone_hashes)
        return found

    def _write(self, rows: list[Row]) -> None:
        if not rows:
            return
        id_hashes, phone_hashes = self._hashes
        with_id = [r for r in rows if r.id_number]
        with_phone = [r for r in rows if r.phone]
        id_enc = dict(zip((r.line for r in with_id),
                          self.protect.encrypt_ids([r.id_number or "" for r in with_id]),
                          strict=True))  # fmt: skip
        phone_enc = dict(zip((r.line for r in with_phone),
                             self.protect.encrypt_phones([r.phone or "" for r in with_phone]),
                             strict=True))  # fmt: skip
        now = self.started
        values = [self._values(r, id_enc=id_enc, phone_enc=phone_enc, id_hashes=id_hashes,
                               phone_hashes=phone_hashes, now=now) for r in rows]  # fmt: skip
        # Core: the ORM's bulk insert groups rows by which values are None (no phone, no
        # departure date, unmatched) and sends many more statements.
        bulk_insert(self.session.connection(), REPORTS, values)
        matched = sum(1 for r in rows if r.person_id is not None)
        self.report.accepted += len(rows)
        self.report.matched += matched
        self.report.unmatched += len(rows) - matched

    def _values(
        self, row: Row, *, id_enc: dict[int, bytes], phone_enc: dict[int, bytes],
        id_hashes: dict[int, str], phone_hashes: dict[int, str], now: datetime,
    ) -> dict[str, Any]:  # fmt: skip
        return {
            "channel": "pushed", "person_id": row.person_id, "trip_id": row.trip_id,
            "name": row.name, "id_number_enc": id_enc.get(row.line),
            "id_number_hash": id_hashes.get(row.line),
            "id_number_masked": mask_id_number(row.id_number) if row.id_number else None,
            "phone_enc": phone_enc.get(row.line), "phone_hash": phone_hashes.get(row.line),
            "phone_masked": mask_phone(row.phone) if row.phone else None,
            "origin_province": row.origin_province, "origin_city": row.origin_city,
            "origin_district": row.origin_district, "origin_code": row.origin_code,
            "origin_area": row.origin_area, "departed_on": row.departed_on,
            "arrived_at": row.arrived_at, "transport": row.transport,
            "transport_no": row.transport_no, "dest_address": "",
            "region_code": row.region_code, "batch_ref": self.batch_ref, "row_no": row.line,
            "reported_by": self.actor.id, "reported_at": now,
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
    return Import(session, settings, actor, digest_bytes(data)).run(rows)


def import_path(
    session: Session, settings: Settings, *, actor: Principal, path: Path,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:  # fmt: skip
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return Import(session, settings, actor, digest_path(path)).run(rows, progress)


def count_rows(path: Path) -> int | None:
    """For a progress bar: the data lines of a CSV (an XLSX is not counted)."""
    if path.suffix.lower() == ".xlsx":
        return None
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)
