"""What the service and the importer share: the grades of the edition in force, a new row,
and the one ``RiskAreasChanged`` a change publishes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fangkong.arrivals import places
from fangkong.arrivals.events import RiskAreasChanged
from fangkong.arrivals.riskareas import errors, matching, rows
from fangkong.core import events
from fangkong.healthcode.service import current_edition
from fangkong.models.arrivals import RiskArea


def edition_grades(session: Session) -> frozenset[str]:
    return frozenset(str(grade) for grade in current_edition(session).risk_areas.grades)


def grade_in_force(session: Session, text: str) -> str:
    grade = rows.parse_grade(text)
    if grade.value not in edition_grades(session):
        raise errors.GradeNotInForce(grade.value)
    return grade.value


def changed(session: Session, counties: set[str], start: datetime, end: datetime | None) -> None:
    if counties:
        events.publish(session, RiskAreasChanged(tuple(sorted(counties)), start, end))


def new_row(
    place: places.Place, area: str, grade: str, start: datetime, end: datetime | None, **extra: Any
) -> RiskArea:
    return RiskArea(
        province=place.province,
        city=place.city,
        district=place.district,
        county_code=place.code,
        area=area,
        area_key=matching.area_key(area),
        grade=grade,
        effective_from=start,
        effective_to=end,
        **extra,
    )
