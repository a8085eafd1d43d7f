"""Request and answer bodies of ``/api/v1/care/requests``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fangkong.care.kinds import Channel, RequestKind, Status
from fangkong.core.fields import MAX_ID, MAX_INT_ID, UtcDatetime

NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NO_CONTROL),
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500, pattern=NO_CONTROL)]
PersonId = Annotated[int, Field(ge=1, le=MAX_ID)]
VolunteerId = Annotated[int, Field(ge=1, le=MAX_INT_ID)]


class RequestCreate(BaseModel):
    """A request entered on a resident's behalf. The kind decides the channel: food, medicine,
    medical and other are livelihood requests; the six services need an active pairing.
    ``due_at`` defaults to now plus the kind's hours (settings); given, it must be later."""

    model_config = ConfigDict(extra="forbid")

    person_id: PersonId
    kind: RequestKind
    text: Text
    due_at: UtcDatetime | None = None


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    volunteer_id: VolunteerId | None = None


class DoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Text


class RefuseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text


class RequestOut(BaseModel):
    id: int
    channel: Channel
    kind: RequestKind
    emergency: bool
    person_id: int
    name: str  # masked (王*明)
    phone: str | None  # masked
    region_code: str
    community_code: str
    zone_id: int | None
    zone_kind: str | None
    pairing_id: int | None
    volunteer_id: int | None
    text: str
    status: Status
    due_at: datetime
    overdue: bool
    created_at: datetime
    assigned_at: datetime | None
    started_at: datetime | None
    done_at: datetime | None
    outcome: str
    escalated_at: datetime | None  # first found overdue by the escalation job
    by_citizen: bool  # asked by the resident from their own citizen page


class OwnRequestCreate(BaseModel):
    """A resident's own livelihood request (民生诉求) from their citizen page: food,
    medicine, a medical visit or other; the zone gate of ``ask`` applies."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["food", "medicine", "medical", "other"]
    text: Text


class EscalationOut(BaseModel):
    escalated: int
    emergencies: int
    ids: list[int]
