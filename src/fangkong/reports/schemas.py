"""Bodies of the reports API: the bulletin (text in zh and en, and its figures) and the
dashboard (series, figures with the list each links to, and district rows)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class BulletinFigures(BaseModel):
    """The bulletin's numbers over ``[start, end)``: ``new_confirmed`` includes conversions."""

    new_confirmed: int = 0
    conversions: int = 0  # asymptomatic infections reclassified as confirmed in the window
    new_asymptomatic: int = 0
    new_imported: int = 0
    under_control: int = 0
    community: int = 0
    cumulative_confirmed: int = 0
    cumulative_asymptomatic: int = 0
    cumulative_positives: int = 0
    discharged: int = 0
    released: int = 0
    died: int = 0
    cumulative_discharged: int = 0
    cumulative_released: int = 0
    in_treatment: int = 0


class DistrictLine(BulletinFigures):
    code: str
    name: str
    name_en: str


class BulletinOut(BaseModel):
    date: date | None
    start: datetime
    end: datetime
    region: str
    region_name: str
    has_data: bool
    figures: BulletinFigures
    districts: list[DistrictLine]
    text_zh: str
    text_en: str


class DayPoint(BaseModel):
    date: date
    new_confirmed: int
    new_asymptomatic: int


class Figure(BaseModel):
    key: str
    value: int | float | None
    href: str | None = None


class DistrictRow(BaseModel):
    code: str
    name: str
    new_confirmed: int
    new_asymptomatic: int
    in_treatment: int
    cumulative_positives: int
    href: str


class DashboardOut(BaseModel):
    region: str
    region_name: str
    date: date  # the last whole official day (06:00–06:00)
    days: list[DayPoint]
    figures: list[Figure]
    districts: list[DistrictRow]
