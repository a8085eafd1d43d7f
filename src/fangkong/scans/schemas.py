"""In/out shapes of the scan routes, and the views other domains receive."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

# The API refuses a temperature outside this range with ``scan.temperature_out_of_range``
# (a body reading, not a rule value: no edition changes what a thermometer can show).
MIN_CELSIUS = 30.0
MAX_CELSIUS = 45.0

Token = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")]
IdNumber = Annotated[str, StringConstraints(min_length=5, max_length=32, pattern=r"^[0-9A-Za-z]+$")]


class EntryCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place_code: Token
    personal_code: Annotated[str | None, Field(max_length=600)] = None
    id_number: IdNumber | None = None
    temperature: float | None = None
    mask: bool | None = None
    emergency: bool = False


class ReasonOut(BaseModel):
    code: str
    message: str


class EntryCheckOut(BaseModel):
    decision: str  # allow | deny | manual
    reasons: list[ReasonOut]
    colour: str | None
    override: bool = False
    stale: bool = False
    # False when the scan could not be written (the database was down): the answer came
    # from the last known colour and the door staff should note the visit by hand.
    recorded: bool
    scan_id: int | None = None
    venue_name: str
    person_name: str | None = None  # masked
    scanned_at: datetime


class CheckinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place_code: Token
    temperature: float | None = None
    mask: bool | None = None
    scanned_at: AwareDatetime | None = None  # an offline phone's own time; never in the future


class ScanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    venue_id: int
    person_id: int
    region_code: str
    scanned_at: datetime
    temperature: float | None
    mask: bool | None
    decision: str
    colour: str
    reasons: list[str]
    override: bool
    source: str
    device: str | None


class ScanView(BaseModel):
    """A scan as the citizen page shows it (C's ``GET /api/v1/me/scans``)."""

    id: int
    venue_id: int
    venue_name: str
    scanned_at: datetime
    decision: str
    colour: str
    reasons: list[str]


class StayOut(BaseModel):
    venue_id: int
    venue_name: str
    scanned_at: datetime


class Companion(BaseModel):
    """One stay of the person, and everyone scanned at that venue within the margin."""

    stay: StayOut
    window_start: datetime
    window_end: datetime
    others: list[CompanionPerson]


class CompanionPerson(BaseModel):
    person_id: int
    name: str  # masked
    scanned_at: datetime


class CompanionsOut(BaseModel):
    person_id: int
    margin_minutes: int
    margin_source: str  # the edition key the margin came from
    companions: list[Companion]


class RejectedRow(BaseModel):
    line: int
    code: str
    message: str


class IngestReport(BaseModel):
    accepted: int
    duplicates: int
    rejected: int
    rejected_rows: list[RejectedRow]
    batch: str


Companion.model_rebuild()
