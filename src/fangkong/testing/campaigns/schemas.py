"""In and out models of screening rounds (全员核酸) and key-group schedules (重点人群)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.scoping import REGION_CODE_PATTERN

Level = Literal["district", "street", "community", "grid"]
LEVEL_DIGITS: dict[str, int] = {"district": 6, "street": 9, "community": 12, "grid": 15}
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    regions: Annotated[list[RegionCode], Field(min_length=1, max_length=200)]
    starts_on: date
    ends_on: date


class CampaignOut(BaseModel):
    id: int
    name: str
    region_code: str
    regions: list[str]
    starts_on: date
    ends_on: date
    status: str
    target_population: int
    missed_marked_at: datetime | None
    created_at: datetime


class CoverageRow(BaseModel):
    code: str
    name: str
    target: int
    sampled: int
    tested: int
    positive: int
    coverage: float  # sampled / target, in percent (0 when there is no target)


class Coverage(BaseModel):
    campaign_id: int
    level: Level
    region: str | None
    rows: list[CoverageRow]
    totals: CoverageRow


class UntestedPerson(BaseModel):
    person_id: int
    name: str  # masked
    id_number: str  # masked
    phone: str | None  # masked
    grid_code: str
    address: str | None


class KeyGroupOut(BaseModel):
    id: str
    name_zh: str
    name_en: str
    frequency_days: int
    required: bool
    registry_groups: list[str]
    members: int


class OverdueMember(BaseModel):
    person_id: int
    name: str  # masked
    id_number: str  # masked
    phone: str | None  # masked
    group: str  # the edition's key-group id
    employer: str | None
    grid_code: str
    last_sampled_at: datetime | None
    days_overdue: int | None  # None: never sampled (listed first)


class OverdueCount(BaseModel):
    key: str
    name: str
    overdue: int


class OverdueSummary(BaseModel):
    total: int
    by_employer: list[OverdueCount]
    by_region: list[OverdueCount]
