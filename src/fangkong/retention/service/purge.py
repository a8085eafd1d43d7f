"""The purge (job ``purge``): carry out every table's retention rule for a day, in bulk.

Windows count back from the end of the day purged for, or from now when that is earlier, so
a date in the future never purges early. After-emergency rules act from ``ended_on + window``
on. Each table that changed gets one audit row with its count; the job is idempotent because
every statement only touches rows still past their window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Table
from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import SYSTEM
from fangkong.models.retention import (
    DeidentifyAfterEmergency,
    DeleteAfterEmergency,
    DeleteOlderThan,
    MaskJsonOlderThan,
    NotPurged,
    Rule,
)
from fangkong.policy import service as policy
from fangkong.policy.schema import Edition
from fangkong.retention import repository, rules


@dataclass(frozen=True)
class Plan:
    day: date  # the day purged for, never after today
    reference: datetime  # windows count back from this instant
    ended_on: date | None
    edition: Edition
    settings: Settings


@dataclass(frozen=True)
class Step:
    """One table's rule for the plan: the rows past their window, and the window's edge."""

    table: Table
    rule: Rule
    condition: ColumnElement[bool]
    edge: datetime | date  # the cutoff instant, or the day an after-emergency rule acts from


def plan_for(session: Session, *, settings: Settings, run_for: date) -> Plan:
    day = min(run_for, rules.local_today(settings))
    state = repository.emergency_state(session)
    return Plan(
        day=day,
        reference=min(rules.end_of_day(day, settings), clock.now()),
        ended_on=state.ended_on if state else None,
        edition=policy.active_edition(session, default=settings.policy),
        settings=settings,
    )


def steps(plan: Plan) -> list[Step]:
    """The rules that have rows to act on for this plan (after-emergency ones once due)."""
    found = (_step(plan, d.table, d.rule) for d in rules.declarations())
    return [step for step in found if step is not None]


def purge(session: Session, *, settings: Settings, run_for: date) -> dict[str, Any]:
    plan = plan_for(session, settings=settings, run_for=run_for)
    planned = steps(plan)
    done = {step.table.name: _apply(session, step) for step in planned}
    for step in planned:
        if done[step.table.name]:
            _audit(session, step, done[step.table.name])
    session.flush()
    ended_on = plan.ended_on.isoformat() if plan.ended_on else None
    return {"day": plan.day.isoformat(), "emergency_ended_on": ended_on, "tables": done}


def overdue(session: Session, *, settings: Settings, run_for: date) -> dict[str, int]:
    """Rows still past their window, per table with a rule that acts (0 after a purge)."""
    plan = plan_for(session, settings=settings, run_for=run_for)
    return {
        step.table.name: repository.count(session, step.table, step.condition)
        for step in steps(plan)
    }


def _step(plan: Plan, table: Table, rule: Rule) -> Step | None:
    if isinstance(rule, NotPurged):
        return None
    if isinstance(rule, DeleteOlderThan | MaskJsonOlderThan):
        cutoff = plan.reference - rules.window_of(
            rule.window, edition=plan.edition, settings=plan.settings
        )
        return Step(table, rule, _aged(table, rule, cutoff), cutoff)
    due = _due_on(plan, rule)
    if due is None or plan.day < due:
        return None
    condition = (
        repository.every_row()
        if isinstance(rule, DeleteAfterEmergency)
        else repository.still_personal(table, dict(rule.replace))
    )
    return Step(table, rule, condition, due)


def _aged(
    table: Table, rule: DeleteOlderThan | MaskJsonOlderThan, cutoff: datetime
) -> ColumnElement[bool]:
    if isinstance(rule, MaskJsonOlderThan):
        return repository.unmasked(table, rule, cutoff)
    return repository.older_than(table, rule.column, cutoff)


def _due_on(plan: Plan, rule: DeleteAfterEmergency | DeidentifyAfterEmergency) -> date | None:
    if plan.ended_on is None:
        return None
    return rules.due_on(plan.ended_on, rule.window, plan.edition)


def _apply(session: Session, step: Step) -> int:
    rule = step.rule
    if isinstance(rule, DeidentifyAfterEmergency):
        return repository.deidentify(session, step.table, dict(rule.replace))
    if isinstance(rule, MaskJsonOlderThan):
        assert isinstance(step.edge, datetime)
        return repository.mask_json(session, step.table, rule, step.edge)
    if isinstance(rule, DeleteOlderThan) and isinstance(step.edge, datetime):
        # Days wholly past the window go as whole partitions (PostgreSQL scans), the rest
        # (the boundary day, the default partition, any other table) row by row.
        dropped = repository.drop_day_partitions(session, step.table, step.edge)
        return dropped + repository.delete_rows(session, step.table, step.condition)
    return repository.delete_rows(session, step.table, step.condition)


_ACTIONS = {
    DeleteOlderThan: "delete",
    DeleteAfterEmergency: "delete",
    DeidentifyAfterEmergency: "deidentify",
    MaskJsonOlderThan: "mask",
}


def _audit(session: Session, step: Step, rows: int) -> None:
    assert not isinstance(step.rule, NotPurged)  # kept tables have no steps
    audit.record(
        session,
        actor=SYSTEM,
        action=f"retention.{_ACTIONS[type(step.rule)]}",
        object_type="retention",
        object_id=step.table.name,
        after={
            "rows": rows,
            "cutoff": step.edge.isoformat(),
            "window": rules.source_of(step.rule.window),
        },
    )
