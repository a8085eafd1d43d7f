"""Pydantic in/out models of ``/api/v1/emergency``."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict


class EmergencyEndIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ended_on: date


class EmergencyOut(BaseModel):
    """``final_on``: the first day after-emergency rules purge personal data."""

    model_config = ConfigDict(from_attributes=True)

    ended_on: date | None
    final_on: date | None
    countdown_days: int
    can_undo: bool


class RuleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    table: str
    action: Literal["keep", "delete", "deidentify", "mask"]
    after_emergency: bool
    column: str | None
    amount: int | None
    unit: Literal["days", "minutes"] | None
    source: str | None
    fields: tuple[str, ...]
    reason: str | None
