"""Bodies of the planner, antigen-report and own-results routes."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

AntigenResult = Literal["positive", "negative"]


class SizePlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    size: int
    tests_per_person: float
    expected_tests: float
    tubes: int
    expected_retests: float
    reagent_kits: int
    lab_hours: float
    tests_saved: float
    saved_percent: float
    lab_hours_saved: float


class PoolPlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    prevalence: float
    people: int
    tests_per_hour: float
    single_tests: int
    single_lab_hours: float
    sizes: list[SizePlanOut]
    best_size: int
    best_size_any: int
    best_any_tests_per_person: float
    pooling_pays: bool


class AntigenReportOut(BaseModel):
    """A citizen's own report (no photo bytes: the citizen sent them)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    result: AntigenResult
    tested_at: datetime
    reported_at: datetime
    photo_type: str | None


class AntigenReportRow(BaseModel):
    """An officer's view of a report: the person masked, the photo behind its own route."""

    id: int
    person_id: int
    name: str  # masked
    result: AntigenResult
    tested_at: datetime
    reported_at: datetime
    region_code: str | None
    has_photo: bool
    confirm_status: str | None  # open | done: the NAT that confirms a positive


class MyResultOut(BaseModel):
    tube_id: int
    sampled_at: datetime
    kind: str  # single | pooled | household
    purpose: str
    status: str  # open | sealed | received | resulted
    result: str | None
    tested_at: datetime | None
    lab: str | None


class MyTaskOut(BaseModel):
    id: int
    kind: str  # pool_retest | antigen_confirm
    created_at: datetime


class MyTestingOut(BaseModel):
    results: list[MyResultOut]
    open_tasks: list[MyTaskOut]


class HomeFiguresOut(BaseModel):
    """The home page's live figures, inside the actor's jurisdiction."""

    tubes_today: dict[str, int]  # status → tubes opened today (Asia/Shanghai)
    open_retest_tasks: int
    open_confirm_tasks: int
    antigen_positive_today: int
