"""Request and response shapes of screening, the to-do list, overdue lists and figures."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from fangkong.core.errors import N_


class Outcome(StrEnum):
    """What the grid worker found (排查结果); every outcome closes the screening task."""

    INFORMED = "informed"  # reached and informed of the measure
    AT_HOME = "at_home"  # seen at the address
    NOT_AT_ADDRESS = "not_at_address"
    LEFT_CITY = "left_city"
    UNREACHABLE = "unreachable"


OUTCOME_LABELS: dict[str, str] = {
    Outcome.INFORMED: N_("Reached and informed of the measure"),
    Outcome.AT_HOME: N_("Seen at home"),
    Outcome.NOT_AT_ADDRESS: N_("Not at the address"),
    Outcome.LEFT_CITY: N_("Has left the city"),
    Outcome.UNREACHABLE: N_("Unreachable"),
}

KIND_LABELS: dict[str, str] = {
    "landing_test": N_("Landing test"),
    "screening": N_("Screening by the grid worker"),
    "placement": N_("Quarantine placement"),
}


class TaskKind(StrEnum):
    LANDING_TEST = "landing_test"
    SCREENING = "screening"
    PLACEMENT = "placement"


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class Level(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


LEVEL_DIGITS: dict[str, int] = {"district": 6, "street": 9, "community": 12, "grid": 15}


class ScreenIn(BaseModel):
    outcome: Outcome
    note: str = Field(default="", max_length=500)


class TaskOut(BaseModel):
    id: int
    trip_id: int
    person_id: int
    kind: str
    grid_code: str
    status: str
    due_at: datetime
    overdue: bool
    hours_overdue: float
    escalation: str
    done_at: datetime | None
    outcome: str | None
    note: str
    name_masked: str
    phone_masked: str | None
    arrived_at: datetime
    origin: str
    grade: str
    measure: str


class PhoneOut(BaseModel):
    task_id: int
    phone: str


class EscalationOut(BaseModel):
    street: int
    district: int
    facts_raised: int


class OverdueRow(BaseModel):
    region_code: str
    name: str
    overdue: int
    worst_hours: float
    at_street: int
    at_district: int


class OverdueOut(BaseModel):
    level: Level
    region: str
    total: int
    rows: list[OverdueRow]


class AccountabilityRow(BaseModel):
    region_code: str
    name: str
    level: str
    due: int
    in_time: int
    late: int
    overdue: int
    worst_hours: float
    worst_grids: list[str]


class AccountabilityOut(BaseModel):
    date: date
    computed_at: datetime
    rows: list[AccountabilityRow]


class CountRow(BaseModel):
    key: str
    count: int


class FiguresOut(BaseModel):
    date: date
    region: str
    trips: int
    reports_by_channel: list[CountRow]
    trips_by_grade: list[CountRow]
    landing_tests: int
    landing_done: int
    landing_in_time: int
    screenings: int
    screened: int
    screened_in_time: int


class OverviewRow(BaseModel):
    region_code: str
    name: str
    arrivals_today: int
    open_tasks: int
    overdue: int
    landing_tests_today: int
    landing_done_today: int
    landing_rate: float | None
    escalated: int


class OverviewOut(BaseModel):
    region: str
    date: date
    rows: list[OverviewRow]
