"""Every table's declared retention rule, and the windows they name, resolved.

A window is resolved against the active policy edition (epidemiological windows) or the
settings (operational ones) at the time of use, so switching editions changes the countdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData, Table

from fangkong.config import Settings
from fangkong.core import clock
from fangkong.models import Base
from fangkong.models.retention import (
    INFO_KEY,
    DeidentifyAfterEmergency,
    DeleteAfterEmergency,
    PolicyWindow,
    Rule,
    SettingsWindow,
    Window,
)
from fangkong.policy.schema import Edition

AfterEmergency = DeleteAfterEmergency | DeidentifyAfterEmergency


@dataclass(frozen=True)
class Declared:
    table: Table
    rule: Rule


def undeclared(metadata: MetaData = Base.metadata) -> list[str]:
    """Tables with no retention declaration (a test keeps this list empty)."""
    return sorted(t.name for t in metadata.tables.values() if INFO_KEY not in t.info)


def declarations(metadata: MetaData = Base.metadata) -> list[Declared]:
    """Every declared table in dependency order (children after the tables they point at)."""
    return [
        Declared(table, table.info[INFO_KEY])
        for table in metadata.sorted_tables
        if INFO_KEY in table.info
    ]


def window_of(window: Window, *, edition: Edition, settings: Settings) -> timedelta:
    if isinstance(window, PolicyWindow):
        return timedelta(days=int(getattr(edition.retention, window.key)))
    amount = int(getattr(settings, window.name))
    return timedelta(minutes=amount) if window.unit == "minutes" else timedelta(days=amount)


def source_of(window: Window) -> str:
    """Where the window's value comes from, as docs/retention.md and the page name it."""
    if isinstance(window, SettingsWindow):
        return f"FANGKONG_{window.name.upper()}"
    return f"policy retention.{window.key}"


def after_emergency(declared: list[Declared]) -> list[AfterEmergency]:
    return [
        d.rule
        for d in declared
        if isinstance(d.rule, DeleteAfterEmergency | DeidentifyAfterEmergency)
    ]


def countdown_days(edition: Edition, declared: list[Declared] | None = None) -> int:
    """Days from the end of the emergency until the first after-emergency rule acts."""
    rules = after_emergency(declarations() if declared is None else declared)
    return min(int(getattr(edition.retention, rule.window.key)) for rule in rules)


def due_on(ended_on: date, window: PolicyWindow, edition: Edition) -> date:
    """The day an after-emergency rule starts to act."""
    return ended_on + timedelta(days=int(getattr(edition.retention, window.key)))


def local_today(settings: Settings) -> date:
    return clock.local_today(ZoneInfo(settings.timezone))


def end_of_day(day: date, settings: Settings) -> datetime:
    """The first instant after ``day`` in the deployment's time zone."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=ZoneInfo(settings.timezone))
