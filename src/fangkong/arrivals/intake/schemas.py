"""Request and response models of intake."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.scoping import REGION_CODE_PATTERN

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Area = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Number = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]
MAX_ID = 2**53


class Transport(StrEnum):
    CAR = "car"
    TRAIN = "train"
    PLANE = "plane"
    COACH = "coach"
    SHIP = "ship"
    OTHER = "other"


class CheckpointKind(StrEnum):
    HIGHWAY_EXIT = "highway_exit"
    RAILWAY_STATION = "railway_station"
    COACH_STATION = "coach_station"
    AIRPORT = "airport"


class Journey(BaseModel):
    """Where from, when, and how: what every channel says of an arrival."""

    model_config = ConfigDict(extra="forbid")

    origin_province: Short
    origin_city: Short = ""
    origin_district: Short
    origin_area: Area = ""
    departed_on: date | None = None
    arrived_at: AwareDatetime
    transport: Transport | None = None
    transport_no: Number | None = None
    dest_address: Area = ""


class SelfReport(Journey):
    pass


class OfficerReport(Journey):
    """An officer's entry: the person by id, ID number or phone (exactly one)."""

    person_id: Annotated[int | None, Field(ge=1, le=MAX_ID)] = None
    id_number: Annotated[str | None, StringConstraints(max_length=32)] = None
    phone: Annotated[str | None, StringConstraints(max_length=20)] = None


class CheckpointScan(Journey):
    """A scan at a checkpoint: the personal QR payload or an ID number; ``arrived_at``
    defaults to now."""

    checkpoint_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    personal_code: Annotated[str | None, StringConstraints(max_length=600)] = None
    id_number: Annotated[str | None, StringConstraints(max_length=32)] = None
    arrived_at: AwareDatetime | None = None  # type: ignore[assignment]


class MatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: Annotated[int, Field(ge=1, le=MAX_ID)]


class ReclassifyIn(BaseModel):
    """An officer's correction of the trip's origin (all optional: none re-runs the match)."""

    model_config = ConfigDict(extra="forbid")

    origin_province: Short | None = None
    origin_city: Short = ""
    origin_district: Short | None = None
    origin_area: Area | None = None
    departed_on: date | None = None
    note: Annotated[str, StringConstraints(max_length=200)] = ""


class CheckpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    kind: CheckpointKind
    region_code: RegionCode


class CheckpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ] = None
    kind: CheckpointKind | None = None
    active: bool | None = None


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[int, Field(ge=1, le=2**31 - 1)]


class CheckpointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    region_code: str
    active: bool
    staff: list[StaffOut] = []


class StaffOut(BaseModel):
    user_id: int
    username: str


class ReportOut(BaseModel):
    """A report as lists show it: the name, ID number and phone masked."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: str
    person_id: int | None
    trip_id: int | None
    name: str | None
    id_number_masked: str | None
    phone_masked: str | None
    origin_province: str
    origin_city: str
    origin_district: str
    origin_code: str
    origin_area: str
    departed_on: date | None
    arrived_at: datetime
    transport: str | None
    transport_no: str | None
    dest_address: str
    region_code: str
    checkpoint_id: int | None
    row_no: int | None
    reported_at: datetime


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    grid_code: str
    due_at: datetime
    status: str
    done_at: datetime | None
    escalation: str


class TripOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    person_name: str = ""
    origin_province: str
    origin_city: str
    origin_district: str
    origin_code: str
    origin_area: str
    departed_on: date | None
    arrived_at: datetime
    channels: list[str]
    report_count: int
    grade: str
    affected_county: bool
    measure: str
    measure_days: int
    test_days: list[int]
    measure_ends_at: datetime | None
    edition_id: str
    grid_code: str
    status: str
    classified_at: datetime


class TimelineEntry(BaseModel):
    at: datetime
    kind: str  # report | classified | task | fact
    text: str
    ref: str = ""


class TripDetail(TripOut):
    reports: list[ReportOut]
    tasks: list[TaskOut]
    facts: list[str]
    timeline: list[TimelineEntry]


class RefusedRow(BaseModel):
    line: int
    code: str
    message: str


class ImportReport(BaseModel):
    batch_ref: str
    rows: int = 0
    accepted: int = 0
    unchanged: int = 0
    matched: int = 0
    unmatched: int = 0
    trips_new: int = 0
    trips_merged: int = 0
    rejected: int = 0
    rejected_lines: list[RefusedRow] = []


CheckpointOut.model_rebuild()
