"""Retention rules (数据保存期限) that every table declares, and the end-of-emergency switch.

Each table states in ``Table.info["retention"]`` what happens to its rows and when, next to
the columns it talks about, so that whoever adds a table decides its retention in the same
place (a test fails for any table without a declaration). The declarations are data: windows
name a key of the policy edition's ``retention`` section or a setting, never a number, and
``fangkong.retention`` carries them out in bulk statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.models.base import Base

INFO_KEY = "retention"


@dataclass(frozen=True)
class PolicyWindow:
    """Days from the active edition's ``retention`` section (an epidemiological choice)."""

    key: str


@dataclass(frozen=True)
class SettingsWindow:
    """A ``FANGKONG_*`` setting, for windows that are operational rather than epidemiological."""

    name: str
    unit: Literal["days", "minutes"] = "days"


Window = PolicyWindow | SettingsWindow


@dataclass(frozen=True)
class Constant:
    """Replace a column's value with ``value`` (``None`` clears it)."""

    value: Any


@dataclass(frozen=True)
class TaggedId:
    """``prefix`` followed by the row's id: for unique columns that cannot share one value."""

    prefix: str


Replacement = Constant | TaggedId


@dataclass(frozen=True)
class NotPurged:
    """The job leaves the table alone; ``reason`` says why (no personal data, or who removes it)."""

    reason: str


@dataclass(frozen=True)
class DeleteOlderThan:
    """Delete rows whose ``column`` (an instant) is older than the window."""

    column: str
    window: Window


@dataclass(frozen=True)
class DeleteAfterEmergency:
    """Delete every row once ``window`` days have passed since the emergency ended."""

    window: PolicyWindow


@dataclass(frozen=True)
class DeidentifyAfterEmergency:
    """去标识化: once ``window`` days have passed since the emergency ended, replace the
    personal columns of every row; the rows stay, so counts built on them stay right."""

    window: PolicyWindow
    replace: Mapping[str, Replacement]


@dataclass(frozen=True)
class MaskJsonOlderThan:
    """Rows older than the window keep who did what, but their JSON ``columns`` keep only the
    ``keep_keys``; rows whose ``type_column`` is in ``exempt_types`` carry no personal data and
    stay whole. ``marker`` records when a row was masked, so each row is masked once."""

    column: str
    window: Window
    columns: tuple[str, ...]
    keep_keys: frozenset[str]
    type_column: str
    exempt_types: frozenset[str]
    marker: str


Rule = (
    NotPurged
    | DeleteOlderThan
    | DeleteAfterEmergency
    | DeidentifyAfterEmergency
    | MaskJsonOlderThan
)


def retention(rule: Rule) -> dict[str, Any]:
    """The ``__table_args__`` entry that declares a table's rule."""
    return {"info": {INFO_KEY: rule}}


class EmergencyState(Base):
    """One row (id = 1): the day the emergency response ended (应急响应结束), if it has.

    The countdown of every ``...AfterEmergency`` rule starts from ``ended_on``; clearing it
    (before the first countdown runs out) stops them all.
    """

    __tablename__ = "emergency_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    changed_at: Mapped[datetime] = mapped_column(default=clock.now)
    changed_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (retention(NotPurged(N_("deployment state, no personal data"))),)
