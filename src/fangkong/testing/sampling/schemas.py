"""Request and answer bodies of sampling sites and tubes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.fields import MAX_ID, Omissible
from fangkong.core.scoping import REGION_CODE_PATTERN

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
SiteName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_CONTROL)
]
Address = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=NO_CONTROL)
]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]
LocalTime = Annotated[str, StringConstraints(strip_whitespace=True, pattern=HHMM)]
PerHour = Annotated[int, Field(ge=1, le=100_000)]
QueueLength = Annotated[int, Field(ge=0, le=100_000)]
Barcode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=24)]
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]


class QueueStatus(StrEnum):
    IDLE = "idle"
    NORMAL = "normal"
    BUSY = "busy"
    FULL = "full"
    CLOSED = "closed"


class TubeKind(StrEnum):
    SINGLE = "single"
    POOLED = "pooled"
    HOUSEHOLD = "household"


class TubePurpose(StrEnum):
    SCREENING = "screening"
    KEY_GROUP = "key_group"
    RETEST = "retest"
    CONFIRM = "confirm"


class TubeStatus(StrEnum):
    OPEN = "open"
    SEALED = "sealed"
    RECEIVED = "received"
    RESULTED = "resulted"


# --- sites ------------------------------------------------------------------------------


class SiteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SiteName
    region_code: RegionCode
    address: Address = ""
    opens_at: LocalTime = "08:00"
    closes_at: LocalTime = "20:00"
    capacity_per_hour: PerHour = 300


class SiteUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    name: Omissible[SiteName] = None
    region_code: Omissible[RegionCode] = None
    address: Omissible[Address] = None
    opens_at: Omissible[LocalTime] = None
    closes_at: Omissible[LocalTime] = None
    capacity_per_hour: Omissible[PerHour] = None


class QueueUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: QueueStatus
    length: QueueLength = 0


class SiteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    region_code: str
    address: str
    opens_at: str
    closes_at: str
    capacity_per_hour: int
    queue_status: QueueStatus
    queue_length: int
    queue_updated_at: datetime | None
    active: bool
    created_at: datetime
    updated_at: datetime


class QueueOut(BaseModel):
    """What citizens see of a site: no personal data, no staff."""

    id: int
    name: str
    region_code: str
    address: str
    opens_at: str
    closes_at: str
    open_now: bool
    queue_status: QueueStatus
    queue_length: int
    wait_minutes: int | None
    queue_updated_at: datetime | None


# --- tubes ------------------------------------------------------------------------------


class TubeOpen(BaseModel):
    model_config = ConfigDict(extra="forbid")

    barcode: Barcode
    site_id: RowId
    kind: TubeKind = TubeKind.POOLED
    capacity: Annotated[int | None, Field(ge=1, le=1000)] = None  # pooled: the edition's default
    campaign_id: RowId | None = None
    purpose: TubePurpose = TubePurpose.SCREENING
    household_id: RowId | None = None  # household tubes: every member is added at once


class MemberAdd(BaseModel):
    """Exactly one of a scanned personal code or a typed ID number (never in a URL)."""

    model_config = ConfigDict(extra="forbid")

    personal_code: Annotated[
        str | None, StringConstraints(strip_whitespace=True, max_length=600)
    ] = None
    id_number: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=32)] = None


class SingleSample(BaseModel):
    """One person's single tube (单采) of a bulk call: opened at the site, the person added,
    sealed (``service.sample_singles``)."""

    model_config = ConfigDict(extra="forbid")

    barcode: Barcode
    site_id: RowId
    person: MemberAdd
    purpose: TubePurpose = TubePurpose.SCREENING
    campaign_id: RowId | None = None


class HouseholdSample(BaseModel):
    """One household's tube (一户一管) of a bulk call: opened at the site, given the members
    present (``members``, each scanned; empty: every member of the household, as a household
    tube takes them) and sealed (``service.sample_households``)."""

    model_config = ConfigDict(extra="forbid")

    barcode: Barcode
    site_id: RowId
    household_id: RowId
    members: Annotated[list[MemberAdd], Field(max_length=100)] = []
    campaign_id: RowId | None = None


class PoolSample(BaseModel):
    """One pooled tube (混采) of a bulk call: opened at the site with its size (the edition's
    default unless named), given its people (each scanned) and sealed
    (``service.sample_pools``)."""

    model_config = ConfigDict(extra="forbid")

    barcode: Barcode
    site_id: RowId
    members: Annotated[list[MemberAdd], Field(min_length=1, max_length=1000)]
    capacity: Annotated[int | None, Field(ge=1, le=1000)] = None
    campaign_id: RowId | None = None


class MemberOut(BaseModel):
    person_id: int
    name: str  # masked
    id_number: str  # masked
    grid_code: str | None
    sampled_at: datetime


class TubeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    barcode: str
    kind: TubeKind
    capacity: int
    purpose: TubePurpose
    site_id: int | None
    campaign_id: int | None
    region_code: str
    status: TubeStatus
    member_count: int
    opened_at: datetime
    sampled_at: datetime | None
    sealed_at: datetime | None
    result: str | None


class TubeDetail(TubeOut):
    members: list[MemberOut] = []
