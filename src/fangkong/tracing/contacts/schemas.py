"""Pydantic in/out models of contacts. Lists show masked ID numbers and phones only."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.models.person import IdType
from fangkong.people.schemas import DocumentNumber, PhoneText

MAX_IDS = 2000
MAX_ID = 2**63 - 1
ContactId = Annotated[int, Field(ge=1, le=MAX_ID)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class Degree(enum.StrEnum):
    CLOSE = "close"
    SECONDARY = "secondary"


class Status(enum.StrEnum):
    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    RELEASED = "released"
    UPGRADED = "upgraded"
    MERGED = "merged"


class LinkReason(enum.StrEnum):
    HOUSEHOLD = "household"
    VENUE = "venue"
    TRANSPORT = "transport"
    INTERVIEW = "interview"
    SECONDARY = "secondary"


class Action(enum.StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    NOTIFY = "notify"


class LinkOut(BaseModel):
    case_id: int
    case_no: str
    reason: str
    via_contact_id: int | None
    exposure_start_at: datetime
    exposure_end_at: datetime
    evidence: dict[str, Any]


class ContactOut(BaseModel):
    id: int
    person_id: int
    name: str
    id_number_masked: str
    phone_masked: str | None
    degree: str
    status: str
    reasons: list[str]
    case_nos: list[str]
    first_exposure_at: datetime
    last_exposure_at: datetime
    region_code: str
    owner_region: str
    handed_over: bool  # the person lives outside the owner district
    decided_at: datetime | None
    notified_at: datetime | None
    reject_reason: str


class ContactDetail(ContactOut):
    links: list[LinkOut]


class NamedContactIn(BaseModel):
    """A person named in the interview: exactly one of person id, ID number, phone."""

    model_config = ConfigDict(extra="forbid")

    person_id: ContactId | None = None
    id_type: IdType = IdType.RESIDENT_ID
    id_number: DocumentNumber | None = None
    phone: PhoneText | None = None
    contact_at: datetime
    note: Note = ""


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Action
    ids: Annotated[list[ContactId], Field(min_length=1, max_length=MAX_IDS)]
    reason: Note = ""


class DecisionOut(BaseModel):
    action: str
    count: int
    ids: list[int]


class GenerateOut(BaseModel):
    case_id: int
    candidates: int  # people the rules named this time
    new_links: int  # links that were not there before (0 on a repeated run)


class LineListIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(max_length=400_000)]


class RejectedLine(BaseModel):
    line: int
    code: str
    message: str


class LineListOut(BaseModel):
    accepted: int
    rejected: int
    rejected_lines: list[RejectedLine]
