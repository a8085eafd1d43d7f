"""What the health-code domain hands out: the citizen's card, reason views, appeal views, and the
request and response bodies of its API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from fangkong.core import i18n
from fangkong.core.fields import MAX_ID
from fangkong.healthcode.labels import reason_msgid
from fangkong.policy.types import Colour, Reason

TEXT = r"^[^\x00-\x08\x0b-\x1f\x7f]+$"  # no control characters but tab and newline
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=TEXT)
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000, pattern=TEXT)
]
Token = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


ENGLISH = "en"


@dataclass(frozen=True)
class ReasonView:
    """A reason code with its English msgid; ``message(locale)`` translates it."""

    code: str

    @property
    def msgid(self) -> str:
        return reason_msgid(self.code)

    def message(self, locale: str) -> str:
        return i18n.gettext(i18n.normalize(locale) or i18n.DEFAULT_LOCALE, self.msgid)

    @property
    def message_zh(self) -> str:
        return self.message(i18n.DEFAULT_LOCALE)

    @property
    def message_en(self) -> str:
        return self.message(ENGLISH)


@dataclass(frozen=True)
class CodeCard:
    person_id: int
    colour: Colour
    reasons: tuple[ReasonView, ...]
    manual: bool
    computed_at: datetime
    last_negative_sampled_at: datetime | None


@dataclass(frozen=True)
class AppealView:
    id: int
    person_id: int
    text: str
    status: str  # open | upheld | rejected
    filed_at: datetime
    decided_at: datetime | None
    decision_text: str | None


# --- API bodies ---------------------------------------------------------------------------


class ReasonOut(BaseModel):
    code: str
    message: str


class FactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    ref: Token
    until: AwareDatetime | None = None


class FactOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    reason: str
    source: str
    ref: str
    started_at: datetime
    until: datetime | None
    ended_at: datetime | None


class NegativeTestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: RecordId
    sampled_at: AwareDatetime


class HistoryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    colour: str
    reasons: list[str]
    manual: bool
    edition_id: str
    cause: str
    changed_at: datetime


class CodeOut(BaseModel):
    person_id: int
    name: str  # masked
    grid_code: str
    colour: Colour
    reasons: list[ReasonOut]
    manual: bool
    edition_id: str
    computed_at: datetime
    last_negative_sampled_at: datetime | None


class CodeDetail(CodeOut):
    facts: list[FactOut]
    history: list[HistoryOut]


class ChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: RecordId
    colour: Colour
    reason: Note
    until: AwareDatetime | None = None


class DecisionNote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Note | None = None


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    colour: str
    reason_text: str
    until: datetime | None
    status: str
    appeal_id: int | None
    proposed_by_name: str
    proposed_at: datetime
    decided_by_name: str | None
    decided_at: datetime | None
    decision_note: str | None


class AppealDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["upheld", "rejected"]
    text: LongText
    fact_id: RecordId | None = None
    colour: Colour | None = None


class AppealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    text: str
    status: str
    filed_at: datetime
    decided_by_name: str | None
    decided_at: datetime | None
    decision_text: str | None
    ended_fact_id: int | None
    change_request_id: int | None
