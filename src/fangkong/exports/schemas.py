"""What the exports API reads and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fangkong.exports.filters import FILTERS, AnyFilters, ExportParams

__all__ = ["ExportCreate", "ExportDecision", "ExportOut", "ExportParams", "Format"]

Format = Literal["xlsx", "csv"]


class ExportCreate(BaseModel):
    """A list (``kind``), a format and the list's own filters (``params``), validated against
    the kind's filter model (``filters.FILTERS``); a kind that does not exist is refused by
    the service (``export.unknown_kind``)."""

    model_config = ConfigDict(extra="forbid")

    kind: Annotated[str, Field(min_length=1, max_length=32)]
    format: Annotated[str, Field(min_length=1, max_length=8)] = "xlsx"
    params: AnyFilters = ExportParams()

    @model_validator(mode="before")
    @classmethod
    def _kind_filters(cls, data: Any) -> Any:
        """The params as the kind's filter model (a wrong filter is a validation error)."""
        if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
            return data
        model = FILTERS.get(data["kind"])
        if model is None:
            return data
        raw = data.get("params")
        if isinstance(raw, BaseModel):
            raw = raw.model_dump(exclude_unset=True)
        return {**data, "params": model.model_validate(raw or {})}


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
