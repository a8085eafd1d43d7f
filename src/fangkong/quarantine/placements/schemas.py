"""Request and response models of placements."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from fangkong.core.fields import MAX_ID, MAX_INT_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IntId = Annotated[int, Field(ge=1, le=MAX_INT_ID)]  # sites and rooms: INTEGER ids
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Symptom = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class PlacedMeasure(StrEnum):
    CENTRALIZED = "centralized"
    HOME_ISOLATION = "home_isolation"
    HOME_MONITORING = "home_monitoring"


class PlacementStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    RELEASED = "released"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class PlacementCreate(BaseModel):
    """An officer's decision: a measure from day 0 (basis ``manual``)."""

    model_config = ConfigDict(extra="forbid")

    person_id: Id
    measure: PlacedMeasure
    day0_at: AwareDatetime
    days: Annotated[int, Field(ge=1, le=60)]
    test_days: Annotated[list[Annotated[int, Field(ge=0, le=60)]], Field(max_length=30)] = []
    note: Note = ""

    @model_validator(mode="after")
    def _tests_within_period(self) -> Self:
        if any(day > self.days for day in self.test_days):
            raise ValueError("test_days must lie within the period")
        self.test_days = sorted(set(self.test_days))
        return self


class RoomAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    room_id: IntId


class BulkAssign(BaseModel):
    """Assign rooms of one site to many pending centralized placements, households together."""

    model_config = ConfigDict(extra="forbid")

    site_id: IntId
    placement_ids: Annotated[list[Id], Field(min_length=1, max_length=2000)]


class Unplaced(BaseModel):
    placement_id: int
    code: str


class BulkResult(BaseModel):
    assigned: dict[int, int] = {}  # placement id -> room id
    unplaced: list[Unplaced] = []


class CheckInIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    temperature: Annotated[float, Field(ge=35, le=42)]
    symptoms: Annotated[list[Symptom], Field(max_length=10)] = []
    on: date | None = None  # default: today (local)


class TestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day_no: int
    due_on: date
    status: str
    result: str | None
    sampled_at: datetime | None


class CheckInOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    on: date
    temperature: float | None
    symptoms: list[str]
    by_person: bool
    fever: bool = False


class PlacementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    name: str = ""  # masked
    measure: str
    basis: str
    status: str
    contact_id: int | None
    trip_id: int | None
    follows_id: int | None
    site_id: int | None
    room_id: int | None
    region_code: str
    day0_at: datetime
    starts_at: datetime
    ends_at: datetime
    days: int
    test_days: list[int]
    edition_id: str
    released_at: datetime | None
    certificate_no: str | None
    transferred_at: datetime | None
    day_no: int = 0  # today is day N of ``days``
    fever: bool = False


class PlacementDetail(PlacementOut):
    id_number: str = ""  # masked
    room_number: str | None = None
    site_name: str | None = None
    tests: list[TestOut] = []
    check_ins: list[CheckInOut] = []
