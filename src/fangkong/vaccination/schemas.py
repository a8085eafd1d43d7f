"""Pydantic models of the vaccination API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core.fields import MAX_ID

Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{1,32}$")]
Site = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Batch = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
DoseNumber = Annotated[int, Field(ge=1, le=9)]
Reason = Literal["incomplete", "booster_due", "unvaccinated"]


class VaccineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    series_doses: Annotated[int, Field(ge=1, le=5)]


class VaccineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    series_doses: int
    active: bool


class DoseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    vaccine_code: Code
    dose_number: DoseNumber
    given_on: date
    site: Site
    batch: Batch


class DoseOut(BaseModel):
    id: int
    person_id: int
    vaccine_code: str
    vaccine_name: str
    dose_number: int
    given_on: date
    site: str
    batch: str
    region_code: str
    recorded_by: str


class StatusOut(BaseModel):
    doses: int
    series_doses: int
    complete: bool
    boosted: bool
    last_dose_on: date
    booster_due_on: date | None


class PersonRecord(BaseModel):
    person_id: int
    status: StatusOut | None
    doses: list[DoseOut]


class CoverageCell(BaseModel):
    district: str
    district_name: str
    band: str
    population: int
    vaccinated: int  # at least one dose
    complete: int
    boosted: int
    by_dose: dict[int, int]  # dose n → people with at least n doses


class Coverage(BaseModel):
    on: date
    region: str
    cells: list[CoverageCell]


class OutreachRow(BaseModel):
    person_id: int
    name: str
    id_number: str  # masked
    phone: str | None  # masked
    sex: str
    birth_date: date
    grid_code: str
    reason: Reason
    doses: int
    series_doses: int | None
    last_dose_on: date | None
    booster_due_on: date | None


class RejectedRow(BaseModel):
    row: int
    code: str
    message: str


class DoseImportReport(BaseModel):
    inserted: int = 0
    rejected: list[RejectedRow] = Field(default_factory=list)
    dry_run: bool = False
