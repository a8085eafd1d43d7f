"""Request and response models of the case registry."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from fangkong.policy.types import Placement

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Kind(StrEnum):
    CONFIRMED = "confirmed"
    ASYMPTOMATIC = "asymptomatic"


class Channel(StrEnum):
    UNDER_CONTROL = "under_control"
    COMMUNITY_SCREENING = "community_screening"
    FEVER_CLINIC = "fever_clinic"
    ARRIVAL_SCREENING = "arrival_screening"
    KEY_GROUP = "key_group"
    OTHER = "other"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    CRITICAL = "critical"


class ManualSource(StrEnum):
    MANUAL = "manual"
    ANTIGEN = "antigen"


class Outcome(StrEnum):
    DISCHARGED = "discharged"
    RELEASED = "released"
    DIED = "died"


class CaseStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    DISCHARGED = "discharged"
    RELEASED = "released"
    DIED = "died"


class CaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: Id
    kind: Kind
    sampled_at: AwareDatetime
    onset_on: date | None = None
    confirmed_at: AwareDatetime | None = None  # default: now
    channel: Channel = Channel.COMMUNITY_SCREENING
    source: ManualSource = ManualSource.MANUAL
    severity: Severity | None = None
    local: bool = True
    note: Note = ""


class ClassifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    onset_on: date | None = None
    severity: Severity | None = None
    note: Note = ""


class ConvertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    onset_on: date | None = None
    severity: Severity | None = None
    note: Note = ""


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placement: Placement
    hospital: Name
    transferred_at: AwareDatetime | None = None  # default: now


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    at: AwareDatetime | None = None  # default: now
    note: Note = ""


class HandOverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    owner_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    note: Note = ""


class ClusterSet(BaseModel):
    """Put the case in a cluster (``cluster_id``) or take it out (null)."""

    model_config = ConfigDict(extra="forbid")

    cluster_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None


class ClusterCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    region_code: Annotated[str, Field(pattern=r"^[0-9]{6}([0-9]{3}){0,3}$")] | None = None
    note: Note = ""


class ClusterUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    note: Note | None = None


class CaseOut(BaseModel):
    """A case in a list: the person masked."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    case_no: str
    person_id: int
    person_name: str = ""  # masked
    kind: str | None
    severity: str | None
    source: str
    channel: str
    local: bool
    status: str
    sampled_at: datetime
    onset_on: date | None
    confirmed_at: datetime
    reported_on: date
    converted_at: datetime | None
    placement: str | None
    hospital: str
    transferred_at: datetime | None
    outcome_at: datetime | None
    region_code: str
    owner_id: int | None
    cluster_id: int | None
    ct_value: float | None
    tube_id: int | None


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    at: datetime
    actor_id: int | None
    data: dict[str, object]
    note: str


class CaseDetail(CaseOut):
    id_number: str = ""  # masked
    cluster_name: str | None = None
    history: list[EventOut] = []


class ClusterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    region_code: str
    note: str
    cases: int = 0
    confirmed: int = 0
    asymptomatic: int = 0


class Counts(BaseModel):
    """The figures of the daily bulletin over ``[start, end)`` (official days)."""

    start: datetime
    end: datetime
    new_confirmed: int = 0  # local, first reported as confirmed in the window
    new_asymptomatic: int = 0  # local
    conversions: int = 0  # asymptomatic → confirmed in the window
    new_imported: int = 0
    under_control: int = 0  # new local found among people under control
    community: int = 0  # new local found in the community
    cumulative_confirmed: int = 0  # up to ``end``: confirmed now or converted before ``end``
    cumulative_asymptomatic: int = 0
    discharged: int = 0
    released: int = 0
    died: int = 0
    in_treatment: int = 0  # active at ``end``


class DistrictCounts(Counts):
    district: str


class CountsOut(Counts):
    districts: list[DistrictCounts] = []


class LineRow(BaseModel):
    line: int
    code: str
    message: str
    place: str = ""


class LineListReport(BaseModel):
    accepted: int
    rejected: int
    written: bool
    case_nos: list[str] = []
    rejected_lines: list[LineRow] = []


class LineListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(max_length=2_000_000)]
    write_good_rows: bool = False
