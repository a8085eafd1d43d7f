"""Request and answer bodies of ``/api/v1/care/teams``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.scoping import REGION_CODE_PATTERN

PLAIN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=PLAIN)
]
PersonName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=PLAIN)
]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000, pattern=PLAIN)]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=PLAIN)
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=PLAIN)]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]


class TeamCreate(BaseModel):
    """``region_code``: the jurisdiction the team works for (it scopes who sees the team);
    ``communities``: 12-digit community codes inside it."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    region_code: RegionCode
    leader: PersonName
    members: Annotated[list[PersonName], Field(max_length=50)] = []
    duties: LongText = ""
    communities: Annotated[list[RegionCode], Field(min_length=1, max_length=50)]


class TeamOut(BaseModel):
    id: int
    name: str
    region_code: str
    leader: str
    members: list[str]
    duties: str
    communities: list[str]
    visits: int
    hazards_found: int
    hazards_fixed: int
    created_at: datetime


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    community_code: RegionCode
    visited_on: date
    notes: LongText = ""


class VisitOut(BaseModel):
    id: int
    team_id: int
    community_code: str
    visited_on: date
    notes: str


class HazardCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    community_code: RegionCode
    description: Description
    found_on: date


class HazardFix(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fixed_on: date
    note: Note = ""


class HazardOut(BaseModel):
    id: int
    team_id: int
    community_code: str
    description: str
    found_on: date
    fixed_on: date | None
    fix_note: str
