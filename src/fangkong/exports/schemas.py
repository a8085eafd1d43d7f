"""What the exports API reads and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fangkong.core.scoping import REGION_PREFIX_PATTERN
from fangkong.models import KeyGroup
from fangkong.people.schemas import FlagName

Format = Literal["xlsx", "csv"]


class ExportParams(BaseModel):
    """The list's filters (the people list's: name prefix, region prefix, key group, flags)."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[str | None, Field(min_length=1, max_length=64)] = None
    region: Annotated[str | None, Field(pattern=REGION_PREFIX_PATTERN)] = None
    key_group: KeyGroup | None = None
    flags: Annotated[list[FlagName], Field(max_length=7)] = []

    @field_validator("q")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """A name prefix of printable characters (no control characters, no lone surrogates,
        nothing the index range of a prefix cannot follow)."""
        if value is not None and not value.isprintable():
            raise ValueError("the name prefix holds characters that cannot be searched")
        return value


class ExportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, Field(min_length=1, max_length=32)]
    format: Annotated[str, Field(min_length=1, max_length=8)] = "xlsx"
    params: ExportParams = ExportParams()


class ExportDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[str, Field(max_length=500)] = ""


class ExportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    format: str
    params: dict[str, Any]
    region_code: str
    requested_by: int | None
    status: str
    rows_total: int
    rows_done: int
    personal: bool
    approved_by: int | None
    decided_at: datetime | None
    decision_note: str | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime | None
