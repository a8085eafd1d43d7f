"""Request and answer bodies of inspections, their findings and the period report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.supervision.labels import Aspect, FindingStatus, Result

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=NO_CONTROL)]
IntId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class AspectResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    aspect: Aspect
    result: Result
    note: Note = ""
    deadline_on: date | None = None


class InspectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    community_id: IntId
    inspected_on: date | None = None
    note: Note = ""
    results: Annotated[list[AspectResult], Field(min_length=1, max_length=12)]


class FindingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    inspection_id: int
    aspect: Aspect
    status: FindingStatus
    note: str
    deadline_on: date | None
    region_code: str
    verified_at: datetime | None
    verification_note: str


class InspectionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    community_id: int
    company_id: int | None
    inspector_id: int | None
    region_code: str
    inspected_on: date
    problems: int
    note: str
    findings: list[FindingOut] = []
    photos: list[int] = []  # ids: GET /api/v1/supervision/photos/{id}


class PhotoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    inspection_id: int
    aspect: Aspect | None
    media_type: str
    size: int


class VerificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rectified: bool
    note: Note = ""


class PeriodReport(BaseModel):
    """The counts of a period, and the sentence in the style of the official bulletins."""

    start: date
    end: date
    inspections: int
    communities: int
    streets: int
    problems: int
    rectified: int
    not_rectified: int
    open: int
    overdue: int
    companies_summoned: int
    companies_deducted: int
    text_zh: str = ""
    text_en: str = ""
