"""Dose import from CSV or XLSX (身份证号, 疫苗, 剂次, 接种日期, 接种点, 批号).

A person is found by ID number through the people service (keyed hash, never the number in
clear). Each row is checked and written inside its own savepoint: a refused row leaves
nothing behind and is reported with its line and reason; the others are kept. The caller
rolls back for a dry run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonSearch
from fangkong.vaccination import doses, errors
from fangkong.vaccination.schemas import DoseImportReport, DoseIn, RejectedRow

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {
    "id_number": "身份证号",
    "vaccine_code": "疫苗",
    "dose_number": "剂次",
    "given_on": "接种日期",
    "site": "接种点",
    "batch": "批号",
}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
REQUIRED = frozenset(COLUMN_HEADERS)
EXAMPLE = (
    "230102199001011234",
    "INACT-VERO",
    1,
    "2021-05-10",
    "道里区社区卫生服务中心",
    "202104001",
)
Rows = Iterator[tuple[int, tabular.Row]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="接种记录")


def import_upload(
    session: Session, *, actor: Principal, protector: Protector, filename: str, data: bytes
) -> DoseImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, protector=protector, rows=rows)


def import_path(
    session: Session, *, actor: Principal, protector: Protector, path: Path
) -> DoseImportReport:
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_rows(session, actor=actor, protector=protector, rows=rows)


def import_rows(
    session: Session, *, actor: Principal, protector: Protector, rows: Rows
) -> DoseImportReport:
    """File-level errors (unreadable, missing or unknown columns) raise before any row."""
    report = DoseImportReport()
    seen: set[tuple[int, int]] = set()
    for number, row in rows:
        try:
            with session.begin_nested():
                _import_row(session, actor, protector, row, seen)
        except DomainError as exc:
            report.rejected.append(RejectedRow(row=number, code=exc.code, message=exc.title))
            continue
        report.inserted += 1
    session.flush()
    return report


def _import_row(
    session: Session,
    actor: Principal,
    protector: Protector,
    row: tabular.Row,
    seen: set[tuple[int, int]],
) -> None:
    person = _person(session, actor, protector, row.get("id_number", ""))
    data = _dose(person.id, row)
    if (person.id, data.dose_number) in seen:
        raise errors.DuplicateRow()
    doses.record_dose_for(session, actor=actor, person=person, data=data)
    seen.add((person.id, data.dose_number))


def _person(session: Session, actor: Principal, protector: Protector, number: str) -> Person:
    if not number:
        raise errors.PersonNotFound()
    search = PersonSearch(id_number=number)
    found = people.search_exact(session, actor=actor, protector=protector, data=search)
    if len(found) != 1:
        raise errors.PersonNotFound()
    return found[0]


def _dose(person_id: int, row: tabular.Row) -> DoseIn:
    given_on = parse_date(row.get("given_on", ""))
    dose_number = row.get("dose_number", "")
    if not dose_number.isdigit() or not 1 <= int(dose_number) <= 9:
        raise errors.InvalidDoseNumber()
    try:
        return DoseIn(
            person_id=person_id, vaccine_code=_code(row.get("vaccine_code", "")),
            dose_number=int(dose_number), given_on=given_on, site=row.get("site", ""),
            batch=row.get("batch", ""),
        )  # fmt: skip
    except ValidationError as exc:
        raise errors.InvalidText() from exc


def _code(text: str) -> str:
    """A code no product can have is simply unknown (``vaccination.unknown_vaccine``)."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]{1,32}", text) else "-"


def parse_date(text: str) -> date:
    """``YYYY-MM-DD``; an XLSX date cell reads as ``YYYY-MM-DD 00:00:00``."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise errors.InvalidDate() from exc
