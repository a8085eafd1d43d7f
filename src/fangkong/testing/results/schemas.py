"""Pydantic models of testing/results: labs, receiving, result uploads, conflicts, tasks,
turnaround."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from fangkong.core.fields import UserId
from fangkong.core.scoping import REGION_CODE_PATTERN

LabName = Annotated[str, Field(min_length=1, max_length=100)]
Barcode = Annotated[str, Field(min_length=1, max_length=64)]
MAX_BATCH = 10_000  # lines of one JSON batch; files go through the upload


class LabCreate(BaseModel):
    name: LabName
    region_code: Annotated[str, Field(pattern=REGION_CODE_PATTERN)]
    address: Annotated[str, Field(max_length=200)] = ""
    tubes_per_hour: Annotated[int, Field(ge=1, le=1_000_000)] = 1000


class LabUpdate(BaseModel):
    name: LabName | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    tubes_per_hour: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    active: bool | None = None


class LabOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    region_code: str
    address: str
    tubes_per_hour: int
    active: bool


class LabMemberIn(BaseModel):
    user_id: UserId


class LabMemberOut(BaseModel):
    user_id: int
    username: str


class ReceiveIn(BaseModel):
    lab_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    barcodes: Annotated[list[Barcode], Field(min_length=1, max_length=MAX_BATCH)]


class RefusedBarcode(BaseModel):
    barcode: str
    code: str
    message: str


class ReceiveReport(BaseModel):
    lab_id: int
    received: int = 0
    already_received: int = 0
    refused: list[RefusedBarcode] = []


class ResultLine(BaseModel):
    """One line of a JSON batch; checked like a file's row (so the same reasons apply)."""

    barcode: Barcode
    result: Annotated[str, Field(max_length=16)] | None = None
    ct_orf1ab: float | str | None = None
    ct_n: float | str | None = None
    tested_at: Annotated[str, Field(max_length=40)]


class ResultBatch(BaseModel):
    lab_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    results: Annotated[list[ResultLine], Field(min_length=1, max_length=MAX_BATCH)]


class RejectedLine(BaseModel):
    line: int
    barcode: str | None = None
    code: str
    message: str


class UploadReport(BaseModel):
    upload_ref: str
    lab_id: int
    accepted: int = 0
    unchanged: int = 0
    conflicts: int = 0
    rejected: int = 0
    negative_tubes: int = 0
    positive_tubes: int = 0
    retest_tasks: int = 0
    rejected_lines: list[RejectedLine] = []


class ConflictOut(BaseModel):
    id: int
    tube_id: int
    barcode: str
    lab_id: int | None
    region_code: str
    stored_result: str | None
    stored_ct_orf1ab: float | None
    stored_ct_n: float | None
    stored_tested_at: datetime | None
    result: str
    ct_orf1ab: float | None
    ct_n: float | None
    tested_at: datetime
    received_at: datetime


class ConflictResolve(BaseModel):
    action: Literal["keep", "replace"]


class TaskOut(BaseModel):
    id: int
    person_id: int
    name_masked: str
    grid_code: str | None
    kind: str
    source_ref: str
    status: str
    created_at: datetime
    done_at: datetime | None
    result: str | None


class TurnaroundDay(BaseModel):
    day: date
    count: int
    median_hours: float
    p90_hours: float


class Turnaround(BaseModel):
    lab_id: int
    days: list[TurnaroundDay]
