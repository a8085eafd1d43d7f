"""The national risk-area list: manual entry and corrections, lists and counts, the place's
history and the question "which grade had this place then?". Imports are in ``importer``.

Services flush and never commit; every change writes an audit row and publishes
``RiskAreasChanged`` once. The list is national: it holds no residents' data and is not
scoped to a jurisdiction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from fangkong.arrivals import places
from fangkong.arrivals.riskareas import common, errors, matching, repository, rows
from fangkong.arrivals.riskareas.common import changed, grade_in_force, new_row
from fangkong.arrivals.riskareas.schemas import (
    CheckOut,
    GradeCounts,
    RiskAreaCreate,
    RiskAreaOut,
    RiskAreaPatch,
)
from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.pagination import PageParams, fetch_page
from fangkong.core.principal import Principal
from fangkong.models.arrivals import RiskArea
from fangkong.policy.types import Grade

OBJECT = "risk_area"
TEXT_COLUMNS = (RiskArea.area, RiskArea.district, RiskArea.city, RiskArea.province)
AUDITED = ("grade", "area", "effective_from", "effective_to", "note")


def resolve(province: str, city: str, district: str) -> places.Place:
    place = places.find(province, city, district)
    if place is None:
        raise errors.UnknownPlace(f"{province} {city} {district}".strip())
    return place


def get(session: Session, area_id: int) -> RiskArea:
    row = repository.get(session, area_id)
    if row is None:
        raise errors.RiskAreaNotFound()
    return row


def _snapshot(row: RiskArea) -> dict[str, Any]:
    return {name: getattr(row, name) for name in AUDITED} | {"county_code": row.county_code}


def _audit(
    session: Session, actor: Principal, action: str, row: RiskArea, before: dict[str, Any] | None
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"risk_area.{action}",
        object_type=OBJECT,
        object_id=row.id,
        before=before,
        after=_snapshot(row),
    )


def create(session: Session, *, actor: Principal, data: RiskAreaCreate) -> RiskArea:
    """A row entered by hand; a place with a row in force must change its grade instead."""
    place = resolve(data.province, data.city, data.district)
    grade = grade_in_force(session, data.grade)
    start = rows.parse_time(data.effective_from) if data.effective_from else clock.now()
    end = rows.parse_time(data.effective_to) if data.effective_to else None
    if end is not None and end <= start:
        raise errors.BadDates()
    area = data.area.strip()
    found = repository.current_of_place(session, place.code, matching.area_key(area), start)
    if found is not None and (end is None or found.effective_from < end):
        raise errors.AlreadyListed(f"#{found.id}")
    row = new_row(
        place,
        area,
        grade,
        start,
        end,
        source="manual",
        note=data.note.strip(),
        designated=data.designated and grade == Grade.MEDIUM,
        created_by=actor.id,
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "create", row, None)
    changed(session, {place.code}, start, end)
    session.flush()
    return row


def update(session: Session, *, actor: Principal, area_id: int, data: RiskAreaPatch) -> RiskArea:
    """One change: end the row, change its grade (closes it, opens another: returned), or
    correct its area (a note is required)."""
    given = [data.effective_to is not None, data.grade is not None, data.area is not None]
    if sum(given) != 1 or (data.at is not None and data.grade is None):
        raise errors.OneChange()
    row = get(session, area_id)
    if data.effective_to is not None:
        return end(
            session, actor=actor, row=row, at=rows.parse_time(data.effective_to), note=data.note
        )
    if data.grade is not None:
        at = rows.parse_time(data.at) if data.at else clock.now()
        return regrade(session, actor=actor, row=row, grade=data.grade, at=at, note=data.note)
    assert data.area is not None
    return correct(session, actor=actor, row=row, area=data.area, note=data.note)


def end(session: Session, *, actor: Principal, row: RiskArea, at: datetime, note: str) -> RiskArea:
    if at <= row.effective_from:
        raise errors.BadDates()
    before = _snapshot(row)
    earliest = min(at, row.effective_to) if row.effective_to else at
    row.effective_to = at
    row.note = note.strip() or row.note
    session.flush()
    _audit(session, actor, "end", row, before)
    changed(session, {row.county_code}, earliest, None)
    session.flush()
    return row


def regrade(
    session: Session, *, actor: Principal, row: RiskArea, grade: str, at: datetime, note: str
) -> RiskArea:
    value = grade_in_force(session, grade)
    if not (row.effective_from < at and (row.effective_to is None or at < row.effective_to)):
        raise errors.NotInForce()
    if value == row.grade:
        raise errors.SameGrade()
    before = _snapshot(row)
    place = places.Place(row.county_code, row.province, row.city, row.district)
    successor = new_row(
        place,
        row.area,
        value,
        at,
        row.effective_to,
        source="manual",
        note=note.strip(),
        created_by=actor.id,
    )
    row.effective_to = at
    session.add(successor)
    session.flush()
    _audit(session, actor, "end", row, before)
    _audit(session, actor, "grade", successor, before)
    changed(session, {row.county_code}, at, successor.effective_to)
    session.flush()
    return successor


def correct(session: Session, *, actor: Principal, row: RiskArea, area: str, note: str) -> RiskArea:
    if not note.strip():
        raise errors.NoteRequired()
    before = _snapshot(row)
    row.area = area.strip()
    row.area_key = matching.area_key(row.area)
    row.note = note.strip()
    session.flush()
    _audit(session, actor, "correct", row, before)
    changed(session, {row.county_code}, row.effective_from, row.effective_to)
    session.flush()
    return row


@dataclass(frozen=True)
class Filter:
    start: datetime
    end: datetime
    grade: str | None = None
    province: str | None = None
    county: str | None = None  # a GB/T 2260 code or its prefix
    q: str | None = None
    history: bool = False  # every row, in force or not


def window(on: str | None) -> tuple[datetime, datetime]:
    if not on:
        now = clock.now()
        return now, now
    return rows.day_window(on)


def list_areas(
    session: Session, *, where: Filter, page: PageParams
) -> tuple[Sequence[RiskArea], str | None]:
    if where.history:
        statement = repository.all_statement()
    else:
        statement = repository.in_force_statement(where.start, where.end)
    if where.grade:
        statement = statement.where(RiskArea.grade == where.grade)
    if where.province:
        name = places.short(where.province)
        statement = statement.where(RiskArea.province.startswith(name))
    if where.county:
        statement = statement.where(RiskArea.county_code.startswith(where.county))
    if where.q:
        text = where.q.strip()
        statement = statement.where(
            or_(*(column.contains(text, autoescape=True) for column in TEXT_COLUMNS))
        )
    return fetch_page(session, statement, RiskArea.id, page, descending=True)


def counts(session: Session, *, start: datetime, end: datetime) -> GradeCounts:
    found = repository.counts_by_grade(session, start, end)
    return GradeCounts(
        on=start, high=found.get("high", 0), medium=found.get("medium", 0), low=found.get("low", 0)
    )


def history(session: Session, county_code: str, area: str) -> list[RiskArea]:
    """The rows of a place: those of its county whose area is the place's, contains it or lies
    in it, and the county's whole-county rows (every row of the county when no area)."""
    key = matching.area_key(area)
    found = repository.of_county(session, county_code)
    if not key:
        return list(found)
    return [row for row in found if not row.area_key or key in row.area_key or row.area_key in key]


def check(
    session: Session, *, province: str, city: str, district: str, area: str, on: str | None
) -> CheckOut:
    place = resolve(province, city, district)
    start, end = window(on)
    origin = matching.Origin(county_code=place.code, area=area, start=start, end=end)
    match = matching.match_one(session, origin)
    past = history(session, place.code, area)
    deciding = repository.by_ids(session, match.area_ids)
    return CheckOut(
        province=place.province,
        city=place.city,
        district=place.district,
        county_code=place.code,
        area=area,
        start=start,
        end=end,
        grade=match.grade,
        affected_county=match.affected_county,
        deciding=[RiskAreaOut.model_validate(row) for row in deciding],
        history=[RiskAreaOut.model_validate(row) for row in past],
    )


def grades_in_force(session: Session) -> list[str]:
    """The edition's grades, worst first (for the forms)."""
    order = [grade.value for grade in (Grade.HIGH, Grade.MEDIUM, Grade.LOW)]
    return sorted(common.edition_grades(session), key=order.index)
