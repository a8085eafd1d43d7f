"""Pydantic models of the sentinel domain (in and out) and its fixed vocabularies."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from fangkong.core.errors import N_
from fangkong.core.scoping import REGION_PREFIX_PATTERN

IdNumber = Annotated[str, Field(min_length=15, max_length=18)]


class SiteKind(StrEnum):
    FEVER_CLINIC = "fever_clinic"  # 发热门诊
    PHARMACY = "pharmacy"  # 药店


class DrugClass(StrEnum):
    """The four drug classes (四类药品) whose purchase is registered."""

    ANTIPYRETIC = "antipyretic"  # 退热
    COUGH = "cough"  # 止咳
    ANTIVIRAL = "antiviral"  # 抗病毒
    ANTIBIOTIC = "antibiotic"  # 抗生素


class Symptom(StrEnum):
    FEVER = "fever"  # 发热
    COUGH = "cough"  # 咳嗽
    SORE_THROAT = "sore_throat"  # 咽痛
    FATIGUE = "fatigue"  # 乏力
    LOSS_OF_SMELL_TASTE = "loss_of_smell_taste"  # 嗅觉味觉减退
    DIARRHOEA = "diarrhoea"  # 腹泻
    OTHER = "other"  # 其他


SITE_KIND_LABELS = {SiteKind.FEVER_CLINIC: N_("Fever clinic"), SiteKind.PHARMACY: N_("Pharmacy")}
DRUG_LABELS = {
    DrugClass.ANTIPYRETIC: N_("Antipyretic"),
    DrugClass.COUGH: N_("Cough medicine"),
    DrugClass.ANTIVIRAL: N_("Antiviral"),
    DrugClass.ANTIBIOTIC: N_("Antibiotic"),
}
SYMPTOM_LABELS = {
    Symptom.FEVER: N_("Fever"),
    Symptom.COUGH: N_("Cough"),
    Symptom.SORE_THROAT: N_("Sore throat"),
    Symptom.FATIGUE: N_("Fatigue"),
    Symptom.LOSS_OF_SMELL_TASTE: N_("Loss of smell or taste"),
    Symptom.DIARRHOEA: N_("Diarrhoea"),
    Symptom.OTHER: N_("Other symptom"),
}
# What an import file may say in Chinese for each value.
DRUG_ALIASES = {
    "退热": "antipyretic",
    "止咳": "cough",
    "抗病毒": "antiviral",
    "抗生素": "antibiotic",
}
SYMPTOM_ALIASES = {
    "发热": "fever",
    "咳嗽": "cough",
    "咽痛": "sore_throat",
    "乏力": "fatigue",
    "嗅觉味觉减退": "loss_of_smell_taste",
    "腹泻": "diarrhoea",
    "其他": "other",
}


class SiteIn(BaseModel):
    venue_id: int = Field(ge=1, le=2**31 - 1)
    kind: SiteKind


class SiteOut(BaseModel):
    venue_id: int
    name: str
    kind: SiteKind
    region_code: str


class VisitIn(BaseModel):
    """A fever-clinic visit; symptoms are codes (``Symptom``), checked by the service."""

    venue_id: int = Field(ge=1, le=2**31 - 1)
    id_number: IdNumber
    visited_at: AwareDatetime | None = None  # now when omitted
    symptoms: list[Annotated[str, Field(max_length=32)]] = Field(default_factory=list, max_length=7)
    temperature: float | None = None
    nat_taken: bool = False


class VisitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    venue_id: int
    region_code: str
    person_id: int
    grid_code: str
    visited_at: datetime
    visited_on: date
    symptoms: list[str]
    temperature: float | None
    nat_taken: bool
    marked: bool
    contacted_at: datetime | None = None


class SaleIn(BaseModel):
    """A four-drug sale; ``drug_class`` is checked by the service (a stable error code)."""

    venue_id: int = Field(ge=1, le=2**31 - 1)
    id_number: IdNumber
    drug_class: Annotated[str, Field(max_length=32)]
    quantity: int = 1
    sold_at: AwareDatetime | None = None


class SaleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    venue_id: int
    region_code: str
    person_id: int
    grid_code: str
    drug_class: DrugClass
    quantity: int
    sold_at: datetime
    sold_on: date
    marked: bool
    contacted_at: datetime | None


class FollowUpOut(BaseModel):
    """A buyer pushed to the grid worker: masked name, grid, what and when."""

    sale_id: int
    person_id: int
    name: str  # masked
    grid_code: str
    drug_class: DrugClass
    sold_at: datetime
    marked: bool
    contacted_at: datetime | None


class VisitFollowUpOut(BaseModel):
    """A fever-clinic visitor for the grid worker: masked name, grid, clinic, when, NAT."""

    visit_id: int
    person_id: int
    name: str  # masked
    grid_code: str
    clinic: str
    visited_at: datetime
    nat_taken: bool
    marked: bool
    contacted_at: datetime | None


class VisitFollowUpQuery(BaseModel):
    """The filters of the visitors' follow-up list (API query and page)."""

    open_only: bool = True
    day: date | None = None  # the local day of the visit
    grid: Annotated[str | None, Field(pattern=REGION_PREFIX_PATTERN)] = None


class CountRow(BaseModel):
    key: str  # the clinic's venue id or the district code
    name: str
    visits: int
    nat_taken: int


class DailyCounts(BaseModel):
    day: date
    by_clinic: list[CountRow]
    by_district: list[CountRow]


class AlertOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    district_code: str
    day: date
    visits: int
    baseline: float
    factor: float
    edition_id: str


class AlertRun(BaseModel):
    day: date
    districts: int
    alerts: int


class RejectedLine(BaseModel):
    line: int  # the file's line (the header is line 1)
    code: str
    message: str


class ImportReport(BaseModel):
    accepted: int = 0
    marked: int = 0  # accepted rows that marked the person's health code
    rejected_lines: list[RejectedLine] = Field(default_factory=list)
    dry_run: bool = False
