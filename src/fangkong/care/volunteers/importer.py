"""Volunteer import from CSV or XLSX (身份证号, 技能, 服务区域): a reason per refused row.
A volunteer is a person of the registry found by ID number (keyed-hash lookup, logged); a
person already registered gets the row's skills and areas, so importing the same file again
changes nothing. Skills and areas are separated by 、 ; , or spaces. The caller rolls back for
a dry run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from fangkong.care import errors, trail
from fangkong.care.kinds import SKILL_NAMES_ZH
from fangkong.care.volunteers import repository, validation
from fangkong.care.volunteers.schemas import RejectedRow, VolunteerImportReport
from fangkong.config import Settings
from fangkong.core import tabular
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.care import Volunteer
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonSearch

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
COLUMN_HEADERS = {"id_number": "身份证号", "skills": "技能", "areas": "服务区域"}
ALIASES = {header: key for key, header in COLUMN_HEADERS.items()} | {
    key: key for key in COLUMN_HEADERS
}
REQUIRED = frozenset(COLUMN_HEADERS)
EXAMPLE = ("230102196001010011", "物资配送、心理辅导", "230102001002")
SEPARATORS = re.compile(r"[、;；,，\s]+")
Rows = Iterator[tuple[int, tabular.Row]]


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), EXAMPLE)


def template_xlsx() -> bytes:
    return tabular.template_xlsx(COLUMN_HEADERS.values(), EXAMPLE, title="志愿者")


def import_upload(
    session: Session, *, actor: Principal, settings: Settings, filename: str, data: bytes
) -> VolunteerImportReport:
    rows = tabular.read_upload(filename, data, ALIASES, REQUIRED, strict=True)
    return import_rows(
        session, actor=actor, protector=Protector(settings.data_key_bytes), rows=rows
    )


def import_path(
    session: Session, *, actor: Principal, settings: Settings, path: Path
) -> VolunteerImportReport:
    rows = tabular.read_file(path, ALIASES, REQUIRED, strict=True)
    return import_rows(
        session, actor=actor, protector=Protector(settings.data_key_bytes), rows=rows
    )


def import_rows(
    session: Session, *, actor: Principal, protector: Protector, rows: Rows
) -> VolunteerImportReport:
    """File-level errors (unreadable, missing or unknown columns) raise before any row."""
    report = VolunteerImportReport()
    seen: set[int] = set()
    for number, row in rows:
        try:
            with session.begin_nested():
                outcome = _import_row(session, actor, protector, row, seen)
        except DomainError as exc:
            report.rejected.append(RejectedRow(row=number, code=exc.code, message=exc.title))
            continue
        setattr(report, outcome, getattr(report, outcome) + 1)
    session.flush()
    return report


def _split(text: str) -> list[str]:
    return [part for part in SEPARATORS.split(text.strip()) if part]


def _person(session: Session, actor: Principal, protector: Protector, number: str) -> Person:
    try:
        search = PersonSearch(id_number=number.strip())
    except ValidationError:
        raise errors.UnknownPerson() from None
    found = people.search_exact(session, actor=actor, protector=protector, data=search)
    if not found:
        raise errors.UnknownPerson()
    return found[0]


def _import_row(
    session: Session, actor: Principal, protector: Protector, row: tabular.Row, seen: set[int]
) -> str:
    if not row.get("id_number", "").strip():
        raise errors.PersonRequired()
    person = _person(session, actor, protector, row.get("id_number", ""))
    names = _split(row.get("skills", ""))
    skills = validation.skills_of([SKILL_NAMES_ZH.get(name, name) for name in names])
    areas = validation.areas_of(session, actor, _split(row.get("areas", "")))
    if not skills:
        raise errors.UnknownSkill()
    if not areas:
        raise errors.UnknownRegion()
    if person.id in seen:
        raise errors.DuplicateRow()
    seen.add(person.id)
    return _upsert(session, actor, person, skills, areas)


def _upsert(
    session: Session, actor: Principal, person: Person, skills: list[str], areas: list[str]
) -> str:
    volunteer = repository.volunteer_of_person(session, person.id)
    if volunteer is not None and not actor.covers(volunteer.region_code):
        raise errors.AlreadyVolunteer()
    if volunteer is not None and (volunteer.skills, volunteer.areas) == (skills, areas):
        return "unchanged"
    before = trail.snapshot(volunteer, validation.VOLUNTEER_FIELDS) if volunteer else None
    if volunteer is None:
        volunteer = Volunteer(person_id=person.id, active=True)
        session.add(volunteer)
    volunteer.skills, volunteer.areas, volunteer.region_code = skills, areas, areas[0]
    session.flush()
    trail.record(
        session, actor, "care.volunteer_import", object_type="care_volunteer",
        object_id=volunteer.id, region_code=volunteer.region_code, before=before,
        after=trail.snapshot(volunteer, validation.VOLUNTEER_FIELDS),
    )  # fmt: skip
    return "updated" if before else "inserted"
