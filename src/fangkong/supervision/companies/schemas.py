"""Request and answer bodies of property companies, communities, credit actions and lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.supervision.labels import CreditKind

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_CONTROL),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=NO_CONTROL)]
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NO_CONTROL),
]
CreditCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=40)
]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]
IntId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class CompanyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    credit_code: CreditCode
    region_code: RegionCode
    contact: Annotated[str, StringConstraints(max_length=100, pattern=NO_CONTROL)] = ""


class CompanyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    credit_code: str
    contact: str
    region_code: str
    credit_score: int
    created_at: datetime


class CreditActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: CreditKind
    points: Annotated[int, Field(ge=0, le=1000)] = 0
    reason: Reason


class CreditActionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    company_id: int
    kind: CreditKind
    points: int
    reason: str
    score_after: int
    acted_on: date


class CommunityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    region_code: RegionCode
    address: Text = ""
    company_id: IntId | None = None


class CommunityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    region_code: str
    address: str
    company_id: int | None


class ListedCompany(BaseModel):
    """A company on the red or black list, with the figures that put it there."""

    id: int
    name: str
    credit_score: int
    inspections: int
    problems: int
    unrectified: int


class CompanyLists(BaseModel):
    start: date
    end: date
    red: list[ListedCompany]
    black: list[ListedCompany]


class RejectedRow(BaseModel):
    row: int
    code: str
    message: str


class ImportReport(BaseModel):
    inserted: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = []
    dry_run: bool = False
