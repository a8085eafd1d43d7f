"""Line-list paste of contacts (一览表): one contact per line, tab- or comma-separated:
``name, ID number or phone, case number, reason, time of contact``. Every line is checked on
its own; a refused line is reported with its code and message and writes nothing, the
accepted lines are added as the interview adds a named person (deduplicated)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from fangkong.core import clock, i18n
from fangkong.core.errors import DomainError
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonSearch
from fangkong.tracing.contacts import errors, service
from fangkong.tracing.contacts.schemas import LineListOut, RejectedLine

MAX_LINES = 2000
REASONS = ("household", "venue", "transport", "interview")
PHONE = re.compile(r"^\+?(86)?1[0-9]{10}$")
HEADERS = ("name", "姓名")


@dataclass(frozen=True)
class Line:
    name: str
    identifier: str
    case_no: str
    reason: str
    at: datetime


def split_lines(text: str) -> list[tuple[int, str]]:
    lines = [(n, raw.strip()) for n, raw in enumerate(text.splitlines(), start=1)]
    lines = [(n, raw) for n, raw in lines if raw]
    if lines and lines[0][1].lower().startswith(HEADERS):
        lines = lines[1:]
    if len(lines) > MAX_LINES:
        raise errors.TooManyLines()
    return lines


def parse(raw: str) -> Line:
    parts = [p.strip() for p in re.split(r"\t|,|，", raw)]
    if len(parts) != 5 or not all(parts):
        raise errors.BadLine()
    name, identifier, case_no, reason, when = parts
    if reason not in REASONS:
        raise errors.BadReason()
    return Line(name, identifier.replace(" ", ""), case_no, reason, _local(when))


def _local(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError as exc:
        raise errors.BadLine() from exc
    return value.replace(tzinfo=clock.LOCAL_TZ) if value.tzinfo is None else value


def _search(line: Line) -> PersonSearch:
    if PHONE.match(line.identifier):
        return PersonSearch(phone=line.identifier)
    return PersonSearch(id_number=line.identifier)


def _person_id(session: Session, actor: Principal, protector: Protector, line: Line) -> int:
    found = people.search_exact(session, actor=actor, protector=protector, data=_search(line))
    if len(found) != 1:
        raise errors.PersonUnknown()
    if found[0].name != line.name:
        raise errors.NameMismatch()
    return found[0].id


def add_line(session: Session, actor: Principal, protector: Protector, raw: str) -> None:
    line = parse(raw)
    case = service.case_by_no(session, actor=actor, case_no=line.case_no)
    person_id = _person_id(session, actor, protector, line)
    with session.begin_nested():
        service.add_named_person(session, actor=actor, case=case, person_id=person_id,
                                 at=line.at, evidence={"source": "line_list"},
                                 reason=line.reason)  # fmt: skip


def import_lines(
    session: Session, *, actor: Principal, protector: Protector, text: str, locale: str
) -> LineListOut:
    refused: list[RejectedLine] = []
    lines = split_lines(text)
    for number, raw in lines:
        try:
            add_line(session, actor, protector, raw)
        except (DomainError, ValueError) as exc:
            refused.append(_refused(number, exc, locale))
    accepted = len(lines) - len(refused)
    return LineListOut(accepted=accepted, rejected=len(refused), rejected_lines=refused)


def _refused(number: int, exc: Exception, locale: str) -> RejectedLine:
    error = exc if isinstance(exc, DomainError) else errors.BadLine()
    message = i18n.gettext(locale, error.title)
    return RejectedLine(line=number, code=error.code, message=message)
