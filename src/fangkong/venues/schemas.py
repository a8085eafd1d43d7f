"""Request and answer bodies of the venue API, and ``VenueRef``, what other domains read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from fangkong.core.fields import Omissible, UserId
from fangkong.core.scoping import REGION_CODE_PATTERN
from fangkong.policy.types import VenueType

NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
NAME_MAX = 100
ADDRESS_MAX = 200
VenueName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX, pattern=NO_CONTROL),
]
Address = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=ADDRESS_MAX, pattern=NO_CONTROL)
]
RegionCode = Annotated[str, StringConstraints(pattern=REGION_CODE_PATTERN)]


@dataclass(frozen=True, slots=True)
class VenueRef:
    """A venue as the scans and health-code domains see it; ``closed_since`` and
    ``closed_until`` are its latest closure's (none: never closed; no end: until reopened)."""

    id: int
    name: str
    type: VenueType
    region_code: str
    address: str
    closed_since: datetime | None = None
    closed_until: datetime | None = None

    def closed_at(self, at: datetime) -> bool:
        """Is the venue closed at ``at``?"""
        if self.closed_since is None or at < self.closed_since:
            return False
        return self.closed_until is None or at < self.closed_until


class VenueCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: VenueName
    type: VenueType
    region_code: RegionCode
    address: Address = ""


class VenueUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    name: Omissible[VenueName] = None
    type: Omissible[VenueType] = None
    region_code: Omissible[RegionCode] = None
    address: Omissible[Address] = None


class VenueOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    type: VenueType
    region_code: str
    address: str
    active: bool
    place_code_version: int
    place_code: str = ""
    place_code_url: str = ""
    created_at: datetime
    updated_at: datetime


ClosureReason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_CONTROL),
]
ClosureNote = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200, pattern=NO_CONTROL)
]


class ClosureIn(BaseModel):
    """Close a venue now (暂停营业): why, and until when (none: until reopened)."""

    model_config = ConfigDict(extra="forbid")

    reason: ClosureReason
    until: datetime | None = None


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: ClosureNote = ""


class ClosureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    venue_id: int
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    closed_by: int | None
    reopened_by: int | None
    reopen_note: str


class OperatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: UserId


class OperatorOut(BaseModel):
    user_id: int
    username: str
    display_name: str
    region_code: str
    is_active: bool


class RejectedRow(BaseModel):
    """A row the import refused: its line (the header is line 1), the error code and message."""

    row: int
    code: str
    message: str


class VenueImportReport(BaseModel):
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = []
    dry_run: bool = False
