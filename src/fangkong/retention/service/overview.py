"""The declared rules as rows for the page, the API and the CLI (docs/retention.md too)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from fangkong.config import Settings
from fangkong.models.retention import (
    DeidentifyAfterEmergency,
    DeleteAfterEmergency,
    DeleteOlderThan,
    MaskJsonOlderThan,
    NotPurged,
    Rule,
    SettingsWindow,
)
from fangkong.policy import service as policy
from fangkong.policy.schema import Edition
from fangkong.retention import rules

Action = Literal["keep", "delete", "deidentify", "mask"]


@dataclass(frozen=True)
class RuleRow:
    table: str
    action: Action
    after_emergency: bool  # the window counts from the end of the emergency
    column: str | None  # the instant an age window counts from
    amount: int | None
    unit: Literal["days", "minutes"] | None
    source: str | None  # the policy key or setting the window comes from
    fields: tuple[str, ...]  # the columns replaced or masked
    reason: str | None  # why a table is kept


def overview(session: Session, *, settings: Settings) -> list[RuleRow]:
    edition = policy.active_edition(session, default=settings.policy)
    found = (_row(d.table.name, d.rule, edition, settings) for d in rules.declarations())
    return sorted(found, key=lambda row: row.table)


def _row(table: str, rule: Rule, edition: Edition, settings: Settings) -> RuleRow:
    if isinstance(rule, NotPurged):
        return RuleRow(table, "keep", False, None, None, None, None, (), rule.reason)
    window = rule.window
    delta = rules.window_of(window, edition=edition, settings=settings)
    unit = window.unit if isinstance(window, SettingsWindow) else "days"
    amount = delta.days if unit == "days" else int(delta.total_seconds()) // 60
    source = rules.source_of(window)
    if isinstance(rule, DeleteOlderThan):
        return RuleRow(table, "delete", False, rule.column, amount, unit, source, (), None)
    if isinstance(rule, MaskJsonOlderThan):
        return RuleRow(table, "mask", False, rule.column, amount, unit, source, rule.columns, None)
    if isinstance(rule, DeleteAfterEmergency):
        return RuleRow(table, "delete", True, None, amount, unit, source, (), None)
    assert isinstance(rule, DeidentifyAfterEmergency)
    fields = tuple(rule.replace)
    return RuleRow(table, "deidentify", True, None, amount, unit, source, fields, None)
