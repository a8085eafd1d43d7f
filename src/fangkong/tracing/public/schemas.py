"""Pydantic models of public trajectories: what an officer publishes, what anyone may read
(no case, no name, no ID, no phone), and a citizen's self-check."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

REF_PATTERN = r"^(scan|trip|travel|interview):[0-9]{1,19}$"
StopRef = Annotated[str, Field(pattern=REF_PATTERN)]


class PublicationIn(BaseModel):
    """``refs``: the trajectory's stops to publish (``scan:12``…); left out, all of them.
    ``label``: left out, 病例N of the day."""

    model_config = ConfigDict(extra="forbid")

    case_id: int = Field(ge=1, le=2**63 - 1)
    refs: list[StopRef] | None = Field(default=None, min_length=1, max_length=500)
    label: str | None = Field(default=None, min_length=1, max_length=40)


class StopOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    start_at: datetime
    end_at: datetime
    place: str
    venue_id: int | None = None


class PublicationOut(BaseModel):
    id: int
    case_id: int | None
    label: str
    region_code: str
    published_at: datetime
    withdrawn_at: datetime | None
    stops: list[StopOut]
    dropped_home: int = 0


class PublicPublication(BaseModel):
    """What anyone may read: a label, the district, and places and times."""

    label: str
    district_code: str
    district: str
    published_at: datetime
    stops: list[StopOut]


class Match(BaseModel):
    label: str
    place: str
    stop_start_at: datetime
    stop_end_at: datetime
    scanned_at: datetime


class SelfCheck(BaseModel):
    window_minutes: int
    checked_since: datetime
    matches: list[Match]
    advice: str
