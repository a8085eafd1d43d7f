"""Line-list entry (一览表): rows pasted from a spreadsheet (tab-separated, a header row in
Chinese or English) or read from a CSV/XLSX file, validated row by row.

Every row is checked first (a registered person by ID number in the actor's jurisdiction, the
kind, the dates, onset not after the confirmation, a known channel); each refused row is
reported with its line and reason. Nothing is written when any row is refused, unless the
caller asks explicitly to write the good rows (``write_good_rows``): an office pasting a
hundred rows fixes the three bad ones and pastes again, rather than finding half a list in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from fangkong.cases.registry import errors, repository, service
from fangkong.cases.registry.schemas import CaseCreate, LineListReport, LineRow
from fangkong.core import clock
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models.person import IdType
from fangkong.people.protect import Protector

HEADERS = {
    "id_number": ("id_number", "身份证号", "证件号码", "身份证号码"),
    "kind": ("kind", "类型", "病例类型", "分类"),
    "sampled_at": ("sampled_at", "采样时间"),
    "onset_on": ("onset_on", "发病日期"),
    "confirmed_at": ("confirmed_at", "确诊时间", "报告时间"),
    "channel": ("channel", "发现途径", "发现方式"),
    "severity": ("severity", "临床分型"),
    "local": ("local", "本土", "来源"),
    "note": ("note", "备注"),
}
KINDS = {"确诊": "confirmed", "确诊病例": "confirmed", "无症状": "asymptomatic",
         "无症状感染者": "asymptomatic"}  # fmt: skip
CHANNELS = {"隔离管控中发现": "under_control", "管控中发现": "under_control",
            "社区筛查": "community_screening", "发热门诊": "fever_clinic",
            "入境筛查": "arrival_screening", "落地筛查": "arrival_screening",
            "重点人群": "key_group", "其他": "other"}  # fmt: skip
SEVERITIES = {"轻型": "mild", "普通型": "moderate", "重型": "severe", "危重型": "critical"}
NOT_LOCAL = {"输入", "境外输入", "imported", "no", "false", "0"}


class BadRow(ValueError):
    def __init__(self, error: DomainError) -> None:
        super().__init__(error.code)
        self.error = error


def _column(title: str) -> str | None:
    cleaned = title.strip().lower()
    return next((k for k, names in HEADERS.items() if cleaned in names), None)


def rows_of_text(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.strip()]
    return [line.split("\t") for line in lines]


def rows_of_file(path: Path) -> list[list[str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # noqa: PLC0415 - only a workbook needs it

        sheet = load_workbook(path, read_only=True, data_only=True).active
        assert sheet is not None
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.reader(handle) if any(c.strip() for c in row)]


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("/", "-"))
    return value.replace(tzinfo=clock.LOCAL_TZ) if value.tzinfo is None else value


def _record(header: Sequence[str | None], cells: Sequence[str]) -> dict[str, str]:
    return {k: c.strip() for k, c in zip(header, cells, strict=False) if k and c.strip()}


def _case_in(session: Session, actor: Principal, protector: Protector,
             values: dict[str, str]) -> CaseCreate:  # fmt: skip
    number = values.get("id_number", "").upper()
    person = repository.person_by_hash(
        session, actor, protector.id_hash(IdType.RESIDENT_ID, number)
    )
    if person is None:
        raise BadRow(errors.UnknownPerson())
    if repository.open_case_of(session, person.id) is not None:
        raise BadRow(errors.OpenCaseExists())
    channel = values.get("channel", "community_screening")
    if CHANNELS.get(channel, channel) not in CHANNELS.values():
        raise BadRow(errors.UnknownChannel(channel))
    try:
        data = {
            "person_id": person.id, "kind": KINDS.get(values.get("kind", ""), values.get("kind")),
            "sampled_at": _instant(values["sampled_at"]),
            "onset_on": date.fromisoformat(values["onset_on"]) if "onset_on" in values else None,
            "confirmed_at": _instant(values["confirmed_at"]) if "confirmed_at" in values else None,
            "channel": CHANNELS.get(channel, channel), "note": values.get("note", ""),
            "severity": SEVERITIES.get(values.get("severity", ""), values.get("severity")),
            "local": values.get("local", "").lower() not in NOT_LOCAL,
        }  # fmt: skip
        case = CaseCreate.model_validate(data)
    except (KeyError, ValueError, ValidationError) as exc:
        raise BadRow(errors.BadDate()) from exc
    try:
        service.check_times(case.onset_on, case.sampled_at, case.confirmed_at)
    except DomainError as exc:
        raise BadRow(exc) from exc
    return case


def _checked(
    session: Session, actor: Principal, protector: Protector, rows: list[list[str]]
) -> tuple[list[CaseCreate], list[LineRow]]:
    header = [_column(title) for title in rows[0]]
    if "id_number" not in header or "kind" not in header:
        raise errors.LineListHeader()
    good, refused = [], []
    for line, cells in enumerate(rows[1:], start=2):
        try:
            good.append(_case_in(session, actor, protector, _record(header, cells)))
        except BadRow as bad:
            refused.append(LineRow(line=line, code=bad.error.code, message=bad.error.title,
                                   place=bad.error.detail or ""))  # fmt: skip
    return good, refused


def import_rows(
    session: Session, *, actor: Principal, protector: Protector, rows: list[list[str]],
    write_good_rows: bool = False,
) -> LineListReport:  # fmt: skip
    if not rows:
        raise errors.LineListHeader()
    good, refused = _checked(session, actor, protector, rows)
    write = not refused or write_good_rows
    numbers = _write(session, actor, good) if write else []
    return LineListReport(accepted=len(good), rejected=len(refused), written=write,
                          case_nos=numbers, rejected_lines=refused)  # fmt: skip


def _write(session: Session, actor: Principal, cases: Iterable[CaseCreate]) -> list[str]:
    numbers = []
    for data in cases:
        numbers.append(service.create_case(session, actor=actor, data=data).case_no)
    return numbers
