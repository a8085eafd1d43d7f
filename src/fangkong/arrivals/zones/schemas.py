"""Request and response models of local zones."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.policy.types import ZoneKind

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
RegionCode = Annotated[str, Field(pattern=REGION_CODE_PATTERN)]
PersonId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ZoneStatus(StrEnum):
    ACTIVE = "active"
    LIFTED = "lifted"


class DecisionAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    LIFT = "lift"
    DOWNGRADE = "downgrade"


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    infected_at: AwareDatetime
    case_ref: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""


class ZoneCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: ZoneKind
    region_code: RegionCode | None = None
    addresses: Annotated[list[Address], Field(max_length=500)] = []
    cases: Annotated[list[CaseIn], Field(max_length=1000)] = []
    final_screening_campaign_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    note: Note = ""


class ZoneUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    note: Note | None = None
    final_screening_campaign_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: DecisionAction
    to_kind: ZoneKind | None = None  # downgrade: default the next lower kind
    note: Note = ""


class Countdown(BaseModel):
    no_infection_days: int  # the edition's N for the zone's kind
    days_without_infection: int  # whole official days (6:00 to 6:00) since the last infection
    days_left: int
    final_screening_required: bool
    then: ZoneKind | None


class ZoneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: ZoneKind
    region_code: str
    status: ZoneStatus
    declared_at: datetime
    kind_since: datetime
    last_infection_at: datetime | None
    final_screening_campaign_id: int | None
    pending: str | None
    lifted_at: datetime | None
    resident_count: int
    note: str
    countdown: Countdown | None = None


class CaseOut(BaseModel):
    person_id: int
    name: str  # masked
    infected_at: AwareDatetime
    case_ref: str
    linked_at: datetime


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    action: str
    from_kind: str | None
    to_kind: str | None
    actor_id: int | None
    note: str


class AreaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    region_code: str | None
    address: str | None


class ZoneDetail(ZoneOut):
    areas: list[AreaOut] = []
    cases: list[CaseOut] = []
    history: list[EventOut] = []


class ResidentOut(BaseModel):
    person_id: int
    name: str  # masked
    id_number: str  # masked
    grid_code: str


class KindCounts(BaseModel):
    kind: ZoneKind
    ended: int  # lifted or downgraded in the day
    remaining: int  # still of this kind at the day's end


class Announcement(BaseModel):
    date: str
    start: datetime
    end: datetime
    counts: list[KindCounts]
    zh: str
    en: str
