"""Request and response models of isolation sites and rooms."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.scoping import REGION_CODE_PATTERN

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9+\- ]{0,20}$")]
RegionCode = Annotated[str, Field(pattern=REGION_CODE_PATTERN)]
Beds = Annotated[int, Field(ge=1, le=20)]


class SiteKind(StrEnum):
    HOTEL = "hotel"
    FACILITY = "facility"
    CABIN = "cabin"  # 方舱


class RoomStatus(StrEnum):
    AVAILABLE = "available"
    CLEANING = "cleaning"
    CLOSED = "closed"


class SiteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: SiteKind
    region_code: RegionCode
    address: Text = ""
    phone: Phone = ""


class SiteUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: SiteKind | None = None
    address: Text | None = None
    phone: Phone | None = None
    active: bool | None = None


class RoomsCreate(BaseModel):
    """``numbers``: "801-830, 901" (ranges and single numbers), all with ``beds`` beds."""

    model_config = ConfigDict(extra="forbid")

    numbers: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    beds: Beds = 1
    floor: Annotated[int, Field(ge=-5, le=200)] | None = None


class RoomUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: RoomStatus | None = None
    beds: Beds | None = None


class Occupancy(BaseModel):
    beds: int = 0  # in rooms that take people (not closed or cleaning)
    occupied: int = 0
    free: int = 0
    closed_beds: int = 0
    pending: int = 0  # centralized placements of the site's region waiting for a room


class SiteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    region_code: str
    address: str
    phone: str
    active: bool
    rooms: int = 0
    occupancy: Occupancy = Occupancy()


class Occupant(BaseModel):
    placement_id: int
    name: str  # masked
    household_id: int | None


class RoomOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    number: str
    floor: int | None
    beds: int
    status: str
    occupants: list[Occupant] = []


class SiteDetail(SiteOut):
    room_list: list[RoomOut] = []
