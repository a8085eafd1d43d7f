"""Request and response bodies of the citizens' routes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Phone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{4,10}$")]
Payload = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
AppealText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=1000,
        pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]+$",
    ),
]


@dataclass(frozen=True, slots=True)
class Citizen:
    """A signed-in citizen: the person they are, and the session they signed in with."""

    person_id: int
    session_id: int


class OtpRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: Phone


class OtpAccepted(BaseModel):
    """The same answer whether or not the phone belongs to a resident."""

    status: Literal["accepted"] = "accepted"
    expires_in_seconds: int


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: Phone
    code: Code


class CitizenToken(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a token type, not a secret
    expires_at: datetime


class MeOut(BaseModel):
    person_id: int
    name: str  # masked
    phone: str | None  # masked
    session_expires_at: datetime


class ReasonOut(BaseModel):
    code: str
    message: str


class HealthCodeOut(BaseModel):
    colour: str
    reasons: list[ReasonOut]
    qr_payload: str
    expires_at: datetime
    name: str  # masked
    last_negative_test_at: datetime | None
    manual: bool


class VerifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: Payload


class VerifyOut(BaseModel):
    name: str | None  # masked
    colour: str
    reasons: list[ReasonOut]
    stale: bool
    expires_at: datetime


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: AppealText


class AppealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    status: str
    filed_at: datetime
    decided_at: datetime | None
    decision_text: str | None
