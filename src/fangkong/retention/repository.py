"""Queries of the retention domain: the emergency state row and the purge's bulk statements.

The purge works on ``Table`` objects rather than entities: one DELETE or UPDATE per table,
never a loop over rows, so a million-row registry is de-identified in one statement. These
statements are system-wide by design (retention is not a jurisdiction's choice); only the
purge job and its tests call them. Masking JSON needs the backend's own JSON functions.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    ScalarSelect,
    String,
    Table,
    case,
    cast,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Session

from fangkong.core import clock, partitions
from fangkong.models import EmergencyState
from fangkong.models.retention import Constant, MaskJsonOlderThan, Replacement, TaggedId

STATE_ID = 1


# --- the emergency state ----------------------------------------------------------------


def emergency_state(session: Session) -> EmergencyState | None:
    return session.get(EmergencyState, STATE_ID)


def save_ended_on(session: Session, ended_on: date | None, changed_by: str) -> EmergencyState:
    state = emergency_state(session)
    if state is None:
        state = EmergencyState(id=STATE_ID, changed_by=changed_by)
        session.add(state)
    state.ended_on, state.changed_by, state.changed_at = ended_on, changed_by, clock.now()
    session.flush()
    return state


# --- conditions: which rows are past their window ----------------------------------------


def older_than(table: Table, column: str, cutoff: datetime) -> ColumnElement[bool]:
    return table.c[column] < cutoff


def every_row() -> ColumnElement[bool]:
    return true()


def still_personal(table: Table, replace: dict[str, Replacement]) -> ColumnElement[bool]:
    """Rows where any replaced column still differs from its replacement."""
    return or_(false(), *(_differs(table, name, r) for name, r in replace.items()))


def unmasked(table: Table, rule: MaskJsonOlderThan, cutoff: datetime) -> ColumnElement[bool]:
    return (table.c[rule.column] < cutoff) & table.c[rule.marker].is_(None)


def _differs(table: Table, name: str, replacement: Replacement) -> ColumnElement[bool]:
    column = table.c[name]
    if isinstance(replacement, TaggedId):
        return ~column.startswith(replacement.prefix, autoescape=True)
    if replacement.value is None:
        return column.is_not(None)
    return column.is_distinct_from(replacement.value)


# --- statements ---------------------------------------------------------------------------


def count(session: Session, table: Table, condition: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count()).select_from(table).where(condition)) or 0


def drop_day_partitions(session: Session, table: Table, cutoff: datetime) -> int:
    """A table partitioned by day (PostgreSQL ``scans``): drop the days wholly before
    ``cutoff``, the rows they held; 0 for any other table."""
    return partitions.drop_days_before(session.connection(), table.name, cutoff)


def delete_rows(session: Session, table: Table, condition: ColumnElement[bool]) -> int:
    return _rowcount(session.execute(delete(table).where(condition)))


def deidentify(session: Session, table: Table, replace: dict[str, Replacement]) -> int:
    values = {name: _value(table, r) for name, r in replace.items()}
    statement = update(table).where(still_personal(table, replace)).values(values)
    return _rowcount(session.execute(statement))


def mask_json(session: Session, table: Table, rule: MaskJsonOlderThan, cutoff: datetime) -> int:
    """Keep only ``rule.keep_keys`` in the JSON columns of rows past the window, and mark them."""
    dialect = session.get_bind().dialect.name
    exempt = table.c[rule.type_column].in_(sorted(rule.exempt_types))
    values: dict[str, Any] = {
        name: case((exempt, table.c[name]), else_=_kept(dialect, table, name, rule.keep_keys))
        for name in rule.columns
    }
    values[rule.marker] = clock.now()
    statement = update(table).where(unmasked(table, rule, cutoff)).values(values)
    return _rowcount(session.execute(statement))


def _value(table: Table, replacement: Replacement) -> Any:
    if isinstance(replacement, Constant):
        return replacement.value
    [key] = table.primary_key.columns
    return literal(replacement.prefix, String).concat(cast(key, String))


def _kept(dialect: str, table: Table, name: str, keep: frozenset[str]) -> ColumnElement[Any]:
    """The JSON object in ``name`` restricted to the ``keep`` keys (non-objects unchanged)."""
    column = table.c[name]
    if dialect == "postgresql":
        kept, kind = _kept_postgresql(table, column, sorted(keep)), func.jsonb_typeof(column)
    else:
        kept, kind = _kept_sqlite(table, column, sorted(keep)), func.json_type(column)
    return case((kind == "object", kept), else_=column)


def _kept_postgresql(table: Table, column: Column[Any], keys: list[str]) -> ScalarSelect[Any]:
    each = func.jsonb_each(column).table_valued("key", "value").alias("kv")
    merged = func.coalesce(
        func.jsonb_object_agg(each.c.key, each.c.value), literal({}, column.type)
    )
    return select(merged).where(each.c.key.in_(keys)).correlate(table).scalar_subquery()


def _kept_sqlite(table: Table, column: Column[Any], keys: list[str]) -> ScalarSelect[Any]:
    each = func.json_each(column).table_valued("key", "value", "type").alias("kv")
    # json_each hands booleans out as 1 and 0; turn them back into JSON true and false.
    value = case(
        (each.c.type == "true", func.json("true")),
        (each.c.type == "false", func.json("false")),
        else_=each.c.value,
    )
    kept = select(func.json_group_object(each.c.key, value)).where(each.c.key.in_(keys))
    return kept.correlate(table).scalar_subquery()


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
