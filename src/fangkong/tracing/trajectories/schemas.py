"""Pydantic models of trajectories: a stop of the assembled trajectory, interview entries,
passenger records (masked) and the import report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fangkong.core.fields import UtcDatetime

Source = Literal["scan", "trip", "travel", "interview"]


class Stop(BaseModel):
    """One entry of a trajectory: when, where, from which source, and the record behind it
    (``ref`` such as ``scan:12``)."""

    start_at: datetime
    end_at: datetime | None = None
    place: str
    source: Source
    ref: str
    detail: str = ""
    venue_id: int | None = None


class Trajectory(BaseModel):
    case_id: int
    window_start: datetime
    window_end: datetime
    stops: list[Stop]


class InterviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: str = Field(min_length=1, max_length=200)
    start_at: UtcDatetime
    end_at: UtcDatetime
    venue_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    activity: str = Field(default="", max_length=200)


class InterviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    case_id: int
    place: str
    start_at: datetime
    end_at: datetime
    venue_id: int | None
    activity: str
    created_at: datetime


class TravelOut(BaseModel):
    """A passenger record as lists show it: ID and phone masked."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    mode: str
    number: str
    travel_on: date
    departed_at: datetime | None
    arrived_at: datetime | None
    from_station: str
    to_station: str
    carriage: str
    seat: str
    seat_row: int | None
    person_id: int | None
    name: str
    id_number_masked: str | None
    phone_masked: str | None
    region_code: str


class RefusedRow(BaseModel):
    line: int
    code: str
    message: str


class TravelImportReport(BaseModel):
    batch_ref: str
    rows: int = 0
    accepted: int = 0
    matched: int = 0
    unmatched: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_lines: list[RefusedRow] = []
