"""Shapes of the risk-area routes: a row, a manual entry, a correction, an import (JSON rows or
a file's report), the "was this place high-risk then?" answer and the counts by grade."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Mode = Literal["snapshot", "changes"]
Name = Field(min_length=1, max_length=40)


class RiskAreaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    province: str
    city: str
    district: str
    county_code: str
    area: str
    grade: str
    designated: bool
    effective_from: datetime
    effective_to: datetime | None
    source: str
    batch_ref: str | None
    note: str
    created_by: int | None


class RiskAreaCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    province: str = Field(min_length=1, max_length=20)
    city: str = Field(default="", max_length=40)
    district: str = Field(min_length=1, max_length=40)
    area: str = Field(default="", max_length=200)
    grade: str = Field(min_length=1, max_length=10)
    designated: bool = False
    effective_from: str | None = Field(default=None, max_length=40)
    effective_to: str | None = Field(default=None, max_length=40)
    note: str = Field(default="", max_length=200)


class RiskAreaPatch(BaseModel):
    """One change: ``effective_to`` ends the row; ``grade`` (at ``at``, default now) closes it
    and opens a row of the new grade; ``area`` corrects a typo in place (``note`` required)."""

    model_config = ConfigDict(extra="forbid")

    effective_to: str | None = Field(default=None, max_length=40)
    grade: str | None = Field(default=None, min_length=1, max_length=10)
    at: str | None = Field(default=None, max_length=40)
    area: str | None = Field(default=None, max_length=200)
    note: str = Field(default="", max_length=200)


class ImportRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    province: str = Field(default="", max_length=100)
    city: str = Field(default="", max_length=100)
    district: str = Field(default="", max_length=100)
    area: str = Field(default="", max_length=400)
    grade: str = Field(default="", max_length=20)
    effective_from: str | None = Field(default=None, max_length=40)
    effective_to: str | None = Field(default=None, max_length=40)


class ImportBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode = "snapshot"
    as_of: str | None = Field(default=None, max_length=40)
    rows: list[ImportRow] = Field(min_length=1, max_length=100_000)


class RejectedLine(BaseModel):
    line: int
    place: str
    code: str
    message: str


class ImportReport(BaseModel):
    batch_ref: str
    mode: Mode
    as_of: datetime
    rows: int = 0
    opened: int = 0
    changed: int = 0
    closed: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejected_lines: list[RejectedLine] = Field(default_factory=list)


class GradeCounts(BaseModel):
    on: datetime
    high: int = 0
    medium: int = 0
    low: int = 0


class CheckOut(BaseModel):
    province: str
    city: str
    district: str
    county_code: str
    area: str
    start: datetime
    end: datetime
    grade: str  # high | medium | low | none
    affected_county: bool
    deciding: list[RiskAreaOut]
    history: list[RiskAreaOut]
