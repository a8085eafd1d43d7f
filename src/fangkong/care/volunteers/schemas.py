"""Request and answer bodies of volunteers, needs, pairings and the vulnerable list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.care.kinds import RequestKind
from fangkong.core.fields import MAX_ID, MAX_INT_ID
from fangkong.core.scoping import REGION_CODE_PATTERN

RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]
PersonId = Annotated[int, Field(ge=1, le=MAX_ID)]
VolunteerId = Annotated[int, Field(ge=1, le=MAX_INT_ID)]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
]


class VolunteerCreate(BaseModel):
    """A person of the registry; skills from the six services; areas are region codes (the
    first one scopes who sees the volunteer)."""

    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    skills: Annotated[list[RequestKind], Field(min_length=1, max_length=6)]
    areas: Annotated[list[RegionCode], Field(min_length=1, max_length=20)]


class VolunteerOut(BaseModel):
    id: int
    person_id: int | None
    name: str  # masked
    phone: str | None  # masked
    region_code: str
    skills: list[str]
    areas: list[str]
    active: bool
    created_at: datetime


class NeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bedridden: bool = False
    dialysis: bool = False
    note: Note = ""


class NeedForm(NeedIn):
    """The care-needs page's form: the resident, then the needs as the API takes them."""

    person_id: PersonId


class NeedOut(BaseModel):
    person_id: int
    region_code: str
    bedridden: bool
    dialysis: bool
    note: str


class PairingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    volunteer_id: VolunteerId


class PairingOut(BaseModel):
    id: int
    person_id: int
    name: str  # masked
    volunteer_id: int
    region_code: str
    active: bool
    created_at: datetime
    ended_at: datetime | None


class VulnerableOut(BaseModel):
    person_id: int
    name: str  # masked
    grid_code: str
    elderly_alone: bool
    disabled: bool
    bedridden: bool
    dialysis: bool
    pairing_id: int | None


class RejectedRow(BaseModel):
    row: int
    code: str
    message: str


class VolunteerImportReport(BaseModel):
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = []
    dry_run: bool = False
