"""Importing the national list (全国风险区名单) from CSV, XLSX or a JSON body.

``snapshot`` (the default): the file is the whole list as of ``as_of``; a place in force but
absent is closed at ``as_of``, as the daily national list was published. ``changes``: only the
rows given. A place whose grade changes: its row is closed and a row of the new grade opens; a
place listed again with the same grade is unchanged, so re-importing a file changes nothing.
The file's digest is ``batch_ref`` of the rows it opened.

Rows are checked alone first (``rows``); when any is refused nothing is written (a snapshot
missing a row would close a place it meant to keep), and the report lists every refused row.
One transaction; the caller commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals.riskareas import common, errors, repository
from fangkong.arrivals.riskareas.rows import Refusals, Row, RowChecker, parse_time
from fangkong.arrivals.riskareas.schemas import ImportBody, ImportReport, Mode, RejectedLine
from fangkong.audit import service as audit
from fangkong.core import clock, tabular
from fangkong.core.principal import Principal
from fangkong.models.arrivals import RiskArea

MAX_UPLOAD_BYTES = 32 * 1024 * 1024
COLUMN_HEADERS = {
    "province": "省",
    "city": "市",
    "district": "区县",
    "area": "区域",
    "grade": "风险等级",
    "effective_from": "生效时间",
    "effective_to": "失效时间",
}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
ALIASES |= {
    "省份": "province",
    "城市": "city",
    "区": "district",
    "县": "district",
    "区县(市)": "district",
    "区域名称": "area",
    "地区": "area",
    "等级": "grade",
    "风险等级(高/中/低)": "grade",
    "开始时间": "effective_from",
    "结束时间": "effective_to",
}
REQUIRED = frozenset({"province", "district", "grade"})
EXAMPLE = ("北京市", "北京市", "朝阳区", "建外街道某小区", "高", "2022-11-20", "")
Lines = Iterable[tuple[int, Mapping[str, Any]]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="风险区")


def import_file(
    session: Session, *, actor: Principal, filename: str, data: bytes, mode: Mode, as_of: str | None
) -> ImportReport:
    lines = _file_lines(filename, data)
    return import_lines(session, actor=actor, lines=lines, mode=mode, as_of=as_of)


def import_path(
    session: Session, *, actor: Principal, path: Path, mode: Mode, as_of: str | None
) -> ImportReport:
    if path.suffix.lower() == ".json":
        return import_file(
            session, actor=actor, filename=path.name, data=path.read_bytes(), mode=mode, as_of=as_of
        )
    lines = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_lines(session, actor=actor, lines=lines, mode=mode, as_of=as_of)


def import_body(session: Session, *, actor: Principal, body: ImportBody) -> ImportReport:
    lines = ((n, row.model_dump()) for n, row in enumerate(body.rows, start=1))
    return import_lines(session, actor=actor, lines=lines, mode=body.mode, as_of=body.as_of)


def _file_lines(filename: str, data: bytes) -> Iterator[tuple[int, Mapping[str, Any]]]:
    if filename.lower().endswith(".json"):
        return _json_lines(data)
    return tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)


def _json_lines(data: bytes) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """A JSON list of objects (or ``{"rows": [...]}``) with English or Chinese keys."""
    try:
        found = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise tabular.UnreadableFile() from exc
    items = found.get("rows") if isinstance(found, dict) else found
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise tabular.UnreadableFile()
    for number, item in enumerate(items, start=1):
        yield number, {ALIASES.get(str(k).strip(), str(k)): v for k, v in item.items()}


class _Digest:
    """Hashes the rows as read, so that the same file gives the same ``batch_ref``."""

    def __init__(self, mode: Mode) -> None:
        self.hash = hashlib.sha256(mode.encode())

    def feed(self, lines: Lines) -> Iterator[tuple[int, Mapping[str, Any]]]:
        for line, raw in lines:
            values = [str(raw.get(key) or "").strip() for key in COLUMN_HEADERS]
            self.hash.update(json.dumps(values, ensure_ascii=False).encode())
            yield line, raw


def import_lines(
    session: Session, *, actor: Principal, lines: Lines, mode: Mode, as_of: str | None
) -> ImportReport:
    at = parse_time(as_of) if as_of else clock.now()
    checker = RowChecker(grades=common.edition_grades(session), as_of=at)
    refused = Refusals()
    digest = _Digest(mode)
    good = list(checker.check(digest.feed(lines), refused))
    if not good and not refused.count:
        raise errors.EmptyImport()
    report = ImportReport(
        batch_ref=digest.hash.hexdigest(),
        mode=mode,
        as_of=at,
        rows=len(good) + refused.count,
        rejected=refused.count,
    )
    report.rejected_lines = [
        RejectedLine(line=line, place=place, code=code, message=errors.REASONS[code])
        for line, place, code in refused.lines
    ]
    if refused.count:
        return report  # nothing written: fix the rows and import again
    _apply(session, actor, good, report)
    return report


class _Changes:
    def __init__(self) -> None:
        self.counties: set[str] = set()
        self.start: datetime | None = None

    def touch(self, county: str, at: datetime) -> None:
        self.counties.add(county)
        self.start = at if self.start is None else min(self.start, at)


def _apply(session: Session, actor: Principal, good: list[Row], report: ImportReport) -> None:
    current: dict[tuple[str, str], RiskArea] = {}
    for found in repository.current(session, report.as_of):
        current[(found.county_code, found.area_key)] = found  # the latest of a place wins
    changes = _Changes()
    for row in good:
        old = current.get((row.place.code, row.key))
        _one(session, actor, row, old, report=report, changes=changes)
    if report.mode == "snapshot":
        listed = {(row.place.code, row.key) for row in good}
        for key, old in current.items():
            if key not in listed and old.effective_from <= report.as_of:
                old.effective_to = report.as_of
                report.closed += 1
                changes.touch(old.county_code, report.as_of)
    session.flush()
    after = report.model_dump(
        include={"mode", "as_of", "rows", "opened", "changed", "closed", "unchanged"}
    )
    audit.record(
        session,
        actor=actor,
        action="risk_area.import",
        object_type="risk_area_import",
        object_id=report.batch_ref[:16],
        after=after,
    )
    if changes.start is not None:
        common.changed(session, changes.counties, changes.start, None)
    session.flush()


def _one(
    session: Session,
    actor: Principal,
    row: Row,
    old: RiskArea | None,
    *,
    report: ImportReport,
    changes: _Changes,
) -> None:
    if old is not None and old.grade == row.grade:
        if row.effective_to is not None and old.effective_to != row.effective_to:
            old.effective_to = row.effective_to
            report.closed += 1
            changes.touch(row.place.code, min(row.effective_to, report.as_of))
        else:
            report.unchanged += 1
        return
    start = row.effective_from
    if old is not None:
        start = max(start, old.effective_from)
        old.effective_to = start
        report.changed += 1
    else:
        report.opened += 1
    session.add(
        common.new_row(
            row.place,
            row.area,
            row.grade,
            start,
            row.effective_to,
            source="import",
            batch_ref=report.batch_ref,
            created_by=actor.id,
        )
    )
    changes.touch(row.place.code, start)
