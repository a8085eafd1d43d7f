"""Pydantic models of the regions API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from fangkong.core.errors import N_
from fangkong.core.fields import UserId
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.models import RegionLevel

# No control characters: PostgreSQL text cannot hold NUL, and none belongs in a name.
NAME_PATTERN = r"^[^\x00-\x1f\x7f]+$"
RegionName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=NAME_PATTERN),
]
Code = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]


class RegionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    name_en: str | None
    level: RegionLevel
    parent_code: str | None
    children: int = 0


class RegionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: RegionName
    level: RegionLevel
    parent_code: Code


class RegionRename(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RegionName
    name_en: RegionName | None = None


class RejectedRow(BaseModel):
    row: int
    code: str
    message: str


class ImportReport(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = []


class WorkerAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId


class WorkerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    region_code: str


# Level names as msgids for pages (城市 / 区县 / 街道 / 社区 / 网格).
LEVEL_LABELS = {
    RegionLevel.CITY: N_("city"),
    RegionLevel.DISTRICT: N_("district"),
    RegionLevel.STREET: N_("street"),
    RegionLevel.COMMUNITY: N_("community"),
    RegionLevel.GRID: N_("grid"),
}
