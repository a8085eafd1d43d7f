"""Care-needs import from CSV or XLSX (证件号码 or 人员编号, 卧床, 透析, 备注): a reason per
refused row. A resident is a person of the registry in the actor's jurisdiction, found by ID
number (keyed-hash lookup, logged) or by person id; someone outside the jurisdiction is as
unknown as someone who does not exist. Each good row replaces the resident's needs as
``PUT /api/v1/care/needs/{person_id}`` does, so importing the same file again changes
nothing. The caller rolls back for a dry run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from fangkong.care import errors
from fangkong.care.needs.schemas import NeedImportReport
from fangkong.care.volunteers import service
from fangkong.care.volunteers.schemas import NeedIn, RejectedRow
from fangkong.config import Settings
from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.fields import MAX_ID
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonSearch

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {
    "id_number": "证件号码", "person_id": "人员编号", "bedridden": "卧床", "dialysis": "透析",
    "note": "备注",
}  # fmt: skip
ALIASES = (
    {header: key for key, header in COLUMN_HEADERS.items()}
    | {key: key for key in COLUMN_HEADERS}
    | {"身份证号": "id_number"}
)
IDENTITY = frozenset({"id_number", "person_id"})
REQUIRED = frozenset({"bedridden", "dialysis", "note"})
FLAGS = {"是": "true", "否": "false"}
EXAMPLE = ("230102193801010011", "", "是", "否", "独居，需上门送药")
Rows = Iterator[tuple[int, tabular.Row]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="照护需求")


def import_upload(
    session: Session, *, actor: Principal, settings: Settings, filename: str, data: bytes
) -> NeedImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return import_rows(
        session, actor=actor, protector=Protector(settings.data_key_bytes), rows=rows
    )


def import_path(
    session: Session, *, actor: Principal, settings: Settings, path: Path
) -> NeedImportReport:
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_rows(
        session, actor=actor, protector=Protector(settings.data_key_bytes), rows=rows
    )


def import_rows(
    session: Session, *, actor: Principal, protector: Protector, rows: Rows
) -> NeedImportReport:
    """File-level errors (unreadable, missing or unknown columns, neither 证件号码 nor
    人员编号) raise before any row; a refused row is rolled back to its savepoint."""
    report = NeedImportReport()
    seen: set[int] = set()
    for number, row in _identified(rows):
        try:
            with session.begin_nested():
                outcome = _import_row(session, actor, protector, row, seen)
        except DomainError as exc:
            report.rejected.append(RejectedRow(row=number, code=exc.code, message=exc.title))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    session.flush()
    return report


def _identified(rows: Rows) -> Rows:
    """The rows, once the header is seen to name the resident by one of the two columns."""
    first = next(rows, None)
    if first is None:
        return
    if not IDENTITY & first[1].keys():
        raise tabular.MissingColumns(" / ".join(COLUMN_HEADERS[key] for key in sorted(IDENTITY)))
    yield first
    yield from rows


def _import_row(
    session: Session, actor: Principal, protector: Protector, row: tabular.Row, seen: set[int]
) -> str:
    person = _resident(session, actor, protector, row)
    data = _need(row)
    if person.id in seen:
        raise errors.DuplicateRow()
    seen.add(person.id)
    action = "care.need_import"
    return service.record_need(session, actor=actor, person=person, data=data, action=action)[1]


def _resident(session: Session, actor: Principal, protector: Protector, row: tabular.Row) -> Person:
    number, person_id = row.get("id_number", ""), row.get("person_id", "")
    by_id = _by_person_id(session, actor, person_id) if person_id else None
    by_number = _by_id_number(session, actor, protector, number) if number else None
    found = by_id or by_number
    if found is None:
        raise errors.ResidentRequired()
    if by_id is not None and by_number is not None and by_id.id != by_number.id:
        raise errors.ResidentMismatch()
    return found


def _by_person_id(session: Session, actor: Principal, text: str) -> Person:
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID):
        raise errors.UnknownPerson()
    return service.resident(session, actor, int(text))


def _by_id_number(session: Session, actor: Principal, protector: Protector, number: str) -> Person:
    try:
        search = PersonSearch(id_number=number)
    except ValidationError:
        raise errors.UnknownPerson() from None
    found = people.search_exact(session, actor=actor, protector=protector, data=search)
    if len(found) != 1:
        raise errors.UnknownPerson()
    return found[0]


def _need(row: tabular.Row) -> NeedIn:
    """The row's values through the API's schema: 是/否 as well as what the API takes."""
    flags = ("bedridden", "dialysis")
    values = {key: FLAGS.get(row[key], row[key]) for key in flags if row.get(key)}
    try:
        return NeedIn.model_validate(values | {"note": row.get("note", "")})
    except ValidationError as exc:
        if any(error["loc"][:1] == ("note",) for error in exc.errors()):
            raise errors.InvalidNeedNote() from None
        raise errors.InvalidNeedFlag() from None
